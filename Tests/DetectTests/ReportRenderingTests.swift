import Configuration
import MilterProtocol
import Testing

@testable import Detect

/// The two output formats of `detect`.
@Suite struct ReportRenderingTests {
    static let report = DetectionReport(
        platform: .debian,
        milters: [
            milter(
                "milter-greylist", enabled: true, spec: "local:/run/g.sock",
                source: "/etc/milter-greylist/greylist.conf:3",
                description: "Say \"hi\" #{x}", command: "/usr/bin/systemctl", options: "start milter-greylist",
                conditions: Conditions.greylist, tarpit: 125),
            milter(
                "milter-regex", enabled: false, spec: nil, source: nil, description: nil,
                command: "/etc/init.d/milter-regex",
                options: "start", conditions: []),
        ],
        diagnostics: [warning("/etc/default/milter-regex", 2, "a \"quoted\"\tmessage")])

    @Test func rendersJSONInContractOrder() {
        #expect(
            DetectionReportJSON.render(Self.report) == """
                {
                  "platform": "debian",
                  "milters": [
                    {
                      "name": "milter-greylist",
                      "enabled": true,
                      "connection_spec": "local:/run/g.sock",
                      "description": "Say \\"hi\\" #{x}",
                      "command": "/usr/bin/systemctl",
                      "command_options": "start milter-greylist",
                      "applicable_conditions": ["Sendmail Compatible", "Stress Notify", "Trust", "Remote Network", "S25R", "Unauthenticated"],
                      "source": "/etc/milter-greylist/greylist.conf:3"
                    },
                    {
                      "name": "milter-regex",
                      "enabled": false,
                      "connection_spec": null,
                      "description": null,
                      "command": "/etc/init.d/milter-regex",
                      "command_options": "start",
                      "applicable_conditions": [],
                      "source": null
                    }
                  ],
                  "diagnostics": [
                    {"file": "/etc/default/milter-regex", "line": 2, "severity": "warning", "message": "a \\"quoted\\"\\tmessage"}
                  ]
                }

                """)
    }

    @Test func rendersEmptyJSON() {
        #expect(
            DetectionReportJSON.render(DetectionReport(platform: .unknown, milters: [], diagnostics: []))
                == "{\n  \"platform\": \"unknown\",\n  \"milters\": [],\n  \"diagnostics\": []\n}\n")
    }

    @Test func rendersDefineMilterBlocks() {
        #expect(
            DetectionReportConf.render(Self.report) == """
                # Milters detected by milter-manager-config detect (platform: debian).
                # warning: /etc/default/milter-regex:2: a "quoted"\\tmessage

                define_milter("milter-greylist") do |milter|
                  # /etc/milter-greylist/greylist.conf:3
                  milter.connection_spec = "local:/run/g.sock"
                  milter.description = "Say \\"hi\\" \\#{x}"
                  milter.enabled = true
                  milter.command = "/usr/bin/systemctl"
                  milter.command_options = "start milter-greylist"
                  milter.applicable_conditions = ["Sendmail Compatible", "Stress Notify", "Trust", "Remote Network", "S25R", "Unauthenticated"]
                  milter.writing_timeout = 132.0
                  milter.reading_timeout = 132.0
                end

                define_milter("milter-regex") do |milter|
                  # no connection spec found
                  milter.enabled = false
                  milter.command = "/etc/init.d/milter-regex"
                  milter.command_options = "start"
                  milter.applicable_conditions = []
                end

                """)
    }
}
