// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "milter-manager",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "milter-manager", targets: ["milter-manager"]),
        .executable(name: "milter-manager-config", targets: ["milter-manager-config"]),
        .executable(name: "milter-test-server", targets: ["milter-test-server"]),
        .executable(name: "milter-test-client", targets: ["milter-test-client"]),
        .executable(name: "milter-manager-log-analyzer", targets: ["milter-manager-log-analyzer"]),
        .executable(name: "milter-manager-ctl", targets: ["milter-manager-ctl"]),
        .library(name: "MilterProtocol", targets: ["MilterProtocol"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        // Below every other module, importing nothing but the C library: quoting (Ruby literal,
        // shell), control-character escaping, bounded file reading, unbuffered standard output
        // and error, TCP socket option names and the product version.
        .target(name: "MilterSupport"),
        // Wire layer only: frames, commands, replies, modifications, flags, negotiation, specs.
        .target(
            name: "MilterProtocol",
            dependencies: ["MilterSupport", .product(name: "NIOCore", package: "swift-nio")]
        ),
        // The configuration model, the milter-manager.conf language and the --show-config printer.
        .target(
            name: "Configuration",
            dependencies: ["MilterSupport", "MilterProtocol"]
        ),
        // The control socket's protocol (JSON lines), the status model and its text form:
        // shared by the daemon and milter-manager-ctl.
        .target(name: "MilterControl", dependencies: ["MilterSupport", "MilterProtocol"]),
        // The proxy: sessions towards the MTA and towards every child, merging, conditions.
        .target(
            name: "MilterRuntime",
            dependencies: [
                "MilterSupport",
                "MilterProtocol",
                "Configuration",
                "MilterControl",
                "MilterScripting",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Augeas 1.14 from Debian (libaugeas-dev); imported by one wrapper file in Detect only.
        .systemLibrary(
            name: "CAugeas",
            pkgConfig: "augeas",
            providers: [.apt(["libaugeas-dev"])]
        ),
        // Lua 5.4 from Debian (liblua5.4-dev); imported by MilterScripting only.
        .systemLibrary(
            name: "CLua",
            pkgConfig: "lua5.4",
            providers: [.apt(["liblua5.4-dev"])]
        ),
        // Lua condition scripts: a sandboxed state per event loop with per-call limits.
        .target(
            name: "MilterScripting",
            dependencies: ["CLua", "Configuration"]
        ),
        // Detection of installed milters under a file-system root.
        .target(
            name: "Detect",
            dependencies: ["CAugeas", "MilterSupport", "Configuration", "MilterProtocol"]
        ),
        // Renders milter-manager.conf, Postfix/Sendmail snippets and main.cf edits.
        .target(
            name: "ConfigGen",
            dependencies: [
                "Detect", "MilterSupport", "Configuration", "MilterProtocol",
                .product(name: "Mustache", package: "swift-mustache"),
            ]
        ),
        // The command-line options milter-manager and milter-manager-config share (--root,
        // --platform, --config-dir), as ArgumentParser option groups.
        .target(
            name: "MilterCommandLine",
            dependencies: ["Configuration", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        // Prometheus metrics of the daemon: the session observer and the HTTP listener.
        .target(
            name: "MilterMetrics",
            dependencies: [
                "MilterRuntime", "MilterProtocol", "MilterControl",
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .executableTarget(
            name: "milter-manager",
            dependencies: [
                "MilterRuntime", "MilterScripting", "MilterSupport", "MilterCommandLine", "Configuration", "Detect",
                "MilterControl", "MilterMetrics",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ]
        ),
        // The control client: status, children, reload, reopen-logs over controller.connection_spec.
        .executableTarget(
            name: "milter-manager-ctl",
            dependencies: [
                "MilterControl", "MilterSupport", "Configuration", "MilterProtocol",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "milter-manager-config",
            dependencies: [
                "ConfigGen", "Detect", "MilterSupport", "MilterCommandLine", "Configuration",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "milter-test-server",
            dependencies: [
                "MilterSupport", "MilterProtocol",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .executableTarget(
            name: "milter-test-client",
            dependencies: [
                "MilterSupport", "MilterProtocol",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        // RRDtool 1.7 from Debian (librrd-dev): the RRD files and PNG graphs of the log analyzer.
        .systemLibrary(
            name: "CRRD",
            pkgConfig: "librrd",
            providers: [.apt(["librrd-dev"])]
        ),
        // The log analyzer: statistics lines into typed events, per-minute buckets, RRD files,
        // graphs and index.html. Imports neither NIO nor the daemon's runtime.
        .target(name: "LogAnalyzer", dependencies: ["CRRD", "MilterSupport"]),
        .executableTarget(
            name: "milter-manager-log-analyzer",
            dependencies: [
                "LogAnalyzer", "MilterSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Test helpers shared by the test targets: real peers, temporary directories, products.
        .target(name: "MilterTestSupport", dependencies: ["MilterSupport"], path: "Tests/Support"),
        .testTarget(name: "MilterSupportTests", dependencies: ["MilterSupport", "MilterTestSupport"]),
        .testTarget(
            name: "MilterProtocolTests",
            dependencies: [
                "MilterProtocol", "MilterTestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "MilterRuntimeTests",
            dependencies: [
                "MilterRuntime", "MilterProtocol", "MilterSupport", "Configuration", "MilterControl",
                "MilterTestSupport", "MilterScripting",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ]
        ),
        // milter-test-server and milter-test-client: their state machines (@testable) and the
        // built binaries against each other, real libmilter/pymilter milters and broken peers.
        .testTarget(
            name: "MilterToolsTests",
            dependencies: [
                "milter-test-server", "milter-test-client", "MilterProtocol", "MilterSupport", "MilterTestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ]
        ),
        .testTarget(name: "MilterControlTests", dependencies: ["MilterControl"]),
        // The daemon's own parts (@testable): the launcher's plans, checks, messages and processes.
        .testTarget(
            name: "MilterManagerTests",
            dependencies: ["milter-manager", "MilterControl", "MilterRuntime", "MilterTestSupport"]
        ),
        .testTarget(
            name: "ConfigurationTests", dependencies: ["Configuration", "MilterSupport", "MilterTestSupport"]),
        .testTarget(name: "MilterScriptingTests", dependencies: ["MilterScripting", "Configuration"]),
        .testTarget(
            name: "DetectTests",
            dependencies: ["Detect", "Configuration", "MilterProtocol", "MilterSupport", "MilterTestSupport"]
        ),
        // ConfigGen's parts, golden files, and the built milter-manager-config on fixture roots.
        .testTarget(
            name: "ConfigGenTests",
            dependencies: [
                "ConfigGen", "Configuration", "Detect", "MilterProtocol", "MilterSupport", "MilterTestSupport",
            ]
        ),
        // The analyzer's parser and buckets in memory; the built analyzer on logs of the real
        // daemon (real children) and of the original; the Munin plugins through munin-run.
        .testTarget(name: "LogAnalyzerTests", dependencies: ["LogAnalyzer", "MilterTestSupport"]),
        // Every executable's --help (golden files, FILES and ENVIRONMENT sections) from the
        // built products.
        .testTarget(name: "CommandLineTests", dependencies: ["MilterTestSupport"]),
        // packaging/: shell syntax, the systemd unit, and the postinstall hook on a fixture root.
        .testTarget(name: "PackagingTests", dependencies: ["MilterTestSupport"]),
    ]
)

// `make fuzz` only: libFuzzer targets (built with -sanitize=fuzzer, one product each) for the
// packet decoders, the configuration language and the main.cf editor.
if Context.environment["MILTER_FUZZ"] == "1" {
    package.targets += [
        .target(name: "FuzzDriver", path: "Fuzz/FuzzDriver"),
        .executableTarget(
            name: "MilterProtocolFuzz",
            dependencies: ["FuzzDriver", "MilterProtocol", .product(name: "NIOCore", package: "swift-nio")],
            path: "Fuzz/MilterProtocolFuzz"
        ),
        .executableTarget(
            name: "ConfigurationFuzz", dependencies: ["FuzzDriver", "Configuration"], path: "Fuzz/ConfigurationFuzz"),
        .executableTarget(
            name: "ConfigurationSyntaxFuzz", dependencies: ["FuzzDriver", "Configuration"],
            path: "Fuzz/ConfigurationSyntaxFuzz"),
        .executableTarget(
            name: "PostfixMainFuzz",
            dependencies: [
                "FuzzDriver", "ConfigGen", "Configuration", "Detect", "MilterProtocol", "MilterSupport",
            ],
            path: "Fuzz/PostfixMainFuzz"),
    ]
}
