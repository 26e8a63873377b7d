import NIOConcurrencyHelpers
import NIOCore

/// Answers of DNSBL look-ups by query name, kept as long as their TTL says (capped), at most
/// `capacity` of them: when full, expired entries go first, then the entries closest to
/// expiry. Shared by the event loops (a lock guards it; nothing waits on I/O under it).
final class DNSBLCache: Sendable {
    /// A cached answer: the A records (empty: not listed) and when it expires.
    struct Entry: Sendable {
        var addresses: [[UInt8]]
        var expires: NIODeadline
    }

    /// The most entries kept.
    let capacity: Int
    /// The longest time an answer is kept, whatever its TTL.
    let maximumTTL: TimeAmount
    private let entries = NIOLockedValueBox<[String: Entry]>([:])

    init(capacity: Int = 10_000, maximumTTL: TimeAmount = .hours(1)) {
        self.capacity = max(1, capacity)
        self.maximumTTL = maximumTTL
    }

    /// The unexpired answer for `name` at `now`.
    func lookUp(_ name: String, now: NIODeadline) -> [[UInt8]]? {
        entries.withLockedValue { entries in
            guard let entry = entries[name] else { return nil }
            guard entry.expires > now else {
                entries[name] = nil
                return nil
            }
            return entry.addresses
        }
    }

    /// Keeps `addresses` for `name` for `ttl` seconds from `now` (nothing for a TTL of 0).
    func store(_ name: String, addresses: [[UInt8]], ttl: UInt32, now: NIODeadline) {
        guard ttl > 0 else { return }
        let keep = min(TimeAmount.seconds(Int64(ttl)), maximumTTL)
        entries.withLockedValue { entries in
            if entries[name] == nil, entries.count >= capacity {
                let expired = entries.filter { $0.value.expires <= now }.map(\.key)
                for key in expired { entries[key] = nil }
                if entries.count >= capacity {
                    let victims = entries.sorted { $0.value.expires < $1.value.expires }.prefix(max(1, capacity / 10))
                    for victim in victims { entries[victim.key] = nil }
                }
            }
            entries[name] = Entry(addresses: addresses, expires: now + keep)
        }
    }

    /// How many entries it holds.
    var count: Int { entries.withLockedValue { $0.count } }
}
