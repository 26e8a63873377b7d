import Foundation

/// A private Postfix instance on 127.0.0.1 (testbench.md §3): its own config, queue and
/// Maildir under a temporary directory, no syslog, no DNS, one milter.
public final class PostfixInstance: @unchecked Sendable {
    /// The instance's directory.
    public let base: URL
    /// The SMTP port on 127.0.0.1.
    public let port: Int

    /// Creates and starts an instance whose only milter is `milter` (Postfix spelling).
    public init(in directory: URL, milter: String, defaultAction: String = "tempfail") throws {
        base = directory.appendingPathComponent("pf")
        port = try Ports.free()
        guard FileManager.default.isExecutableFile(atPath: "/usr/sbin/postfix") else {
            throw TestSupportError("postfix is not installed (run `make deps` or scripts/install-deps.sh)")
        }
        for sub in ["etc", "spool", "data", "mail", "log"] {
            try FileManager.default.createDirectory(
                at: base.appendingPathComponent(sub), withIntermediateDirectories: true)
        }
        let b = base.path
        let main = """
            compatibility_level = 3.6
            config_directory = \(b)/etc
            queue_directory = \(b)/spool
            data_directory = \(b)/data
            mail_owner = postfix
            setgid_group = postdrop
            myhostname = mx.test.example
            mydomain = test.example
            myorigin = $myhostname
            inet_interfaces = loopback-only
            inet_protocols = ipv4
            mynetworks = 127.0.0.0/8
            mydestination =
            local_recipient_maps =
            relay_domains =
            alias_maps =
            alias_database =
            biff = no
            smtputf8_enable = no
            maillog_file = \(b)/log/maillog
            maillog_file_prefixes = \(directory.path), /var, /dev/stdout
            virtual_mailbox_domains = test.example
            virtual_mailbox_base = \(b)/mail
            virtual_mailbox_maps = static:inbox/
            virtual_uid_maps = static:65534
            virtual_gid_maps = static:65534
            virtual_minimum_uid = 100
            default_transport = discard:non-test-domain
            smtpd_milters = \(milter)
            non_smtpd_milters = $smtpd_milters
            milter_protocol = 6
            milter_default_action = \(defaultAction)
            milter_mail_macros = i {auth_type} {auth_authen} {auth_author} {mail_addr} {mail_host} {mail_mailer}
            milter_connect_timeout = 10s
            milter_command_timeout = 10s
            milter_content_timeout = 60s
            disable_dns_lookups = yes
            smtp_dns_support_level = disabled
            smtpd_peername_lookup = no
            smtpd_client_restrictions =
            smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination

            """
        let master = """
            127.0.0.1:\(port) inet n - n - - smtpd
            pickup unix n - n 60 1 pickup
            cleanup unix n - n - 0 cleanup
            qmgr unix n - n 300 1 qmgr
            rewrite unix - - n - - trivial-rewrite
            bounce unix - - n - 0 bounce
            defer unix - - n - 0 bounce
            trace unix - - n - 0 bounce
            verify unix - - n - 1 verify
            flush unix n - n 1000? 0 flush
            proxymap unix - - n - - proxymap
            proxywrite unix - - n - 1 proxymap
            smtp unix - - n - - smtp
            relay unix - - n - - smtp
            showq unix n - n - - showq
            error unix - - n - - error
            retry unix - - n - - error
            discard unix - - n - - discard
            local unix - n n - - local
            virtual unix - n n - - virtual
            lmtp unix - - n - - lmtp
            anvil unix - - n - 1 anvil
            scache unix - - n - 1 scache
            postlog unix-dgram n - n - 1 postlogd

            """
        try main.write(to: base.appendingPathComponent("etc/main.cf"), atomically: true, encoding: .utf8)
        try master.write(to: base.appendingPathComponent("etc/master.cf"), atomically: true, encoding: .utf8)
        try Subprocess.run("/bin/chown", ["postfix:postfix", "\(b)/data"])
        try Subprocess.run("/bin/chmod", ["700", "\(b)/data"])
        try Subprocess.run("/bin/chown", ["65534:65534", "\(b)/mail"])
        let check = try Subprocess.run("/usr/sbin/postfix", ["-c", "\(b)/etc", "check"])
        guard check.status == 0 else { throw TestSupportError("postfix check failed: \(check.output)\n\(maillog)") }
        let start = try Subprocess.run("/usr/sbin/postfix", ["-c", "\(b)/etc", "start"])
        guard start.status == 0 else { throw TestSupportError("postfix start failed: \(start.output)\n\(maillog)") }
        try Subprocess.waitFor("postfix on port \(port)") { Ports.isListening(port) }
    }

    /// The maillog so far.
    public var maillog: String {
        (try? String(contentsOf: base.appendingPathComponent("log/maillog"), encoding: .utf8)) ?? ""
    }

    /// Delivered messages (Maildir `new/`), oldest first.
    public func deliveredMessages() -> [String] {
        let new = base.appendingPathComponent("mail/inbox/new")
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: new.path)) ?? []).sorted()
        return names.compactMap { try? String(contentsOf: new.appendingPathComponent($0), encoding: .utf8) }
    }

    /// Waits until `count` messages were delivered.
    public func waitForDeliveries(_ count: Int, timeout: Double = 20) throws -> [String] {
        try Subprocess.waitFor("\(count) delivered message(s); maillog:\n\(maillog)", timeout: timeout) {
            deliveredMessages().count >= count
        }
        return deliveredMessages()
    }

    /// Sends one message with swaks; returns its transcript (server lines start with `<-`).
    public func send(subject: String, from: String = "sender@example.org", to: String = "user@test.example") throws
        -> String
    {
        let result = try Subprocess.run(
            "/usr/bin/swaks",
            [
                "--server", "127.0.0.1", "--port", String(port), "--from", from, "--to", to, "--helo",
                "client.example.net",
                "--header", "Subject: \(subject)", "--body", "Hello from the integration test.",
            ])
        return result.output
    }

    /// Stops the instance and waits for its master to exit.
    public func stop() {
        _ = try? Subprocess.run("/usr/sbin/postfix", ["-c", base.appendingPathComponent("etc").path, "stop"])
        try? Subprocess.waitFor("postfix to stop", timeout: 10) { !Ports.isListening(port) }
    }

    deinit { stop() }
}
