#if canImport(Glibc)
    import Glibc
#endif

/// A detached thread with a stack at least as large as the main thread's, so that a
/// configuration that loaded at start-up (on the main thread) also loads on a reload.
enum ReloadThread {
    /// The smallest stack given to the thread.
    static let minimumStackSize = 16 << 20
    /// The largest (an unlimited RLIMIT_STACK is not copied).
    static let maximumStackSize = 256 << 20

    /// Starts `body` on a new detached thread; false when the thread could not be created.
    static func start(_ body: @escaping @Sendable () -> Void) -> Bool {
        var limit = rlimit()
        var size = minimumStackSize
        if getrlimit(Int32(RLIMIT_STACK.rawValue), &limit) == 0, limit.rlim_cur != rlim_t.max {
            size = max(size, min(Int(clamping: limit.rlim_cur), maximumStackSize))
        }
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setstacksize(&attributes, size)
        pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
        let context = Unmanaged.passRetained(Box(body)).toOpaque()
        var thread = pthread_t()
        let result = pthread_create(
            &thread, &attributes,
            { raw in
                let box = Unmanaged<Box>.fromOpaque(raw!).takeRetainedValue()
                box.body()
                return nil
            }, context)
        if result != 0 {
            Unmanaged<Box>.fromOpaque(context).release()
            return false
        }
        return true
    }

    private final class Box {
        let body: @Sendable () -> Void
        init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    }
}
