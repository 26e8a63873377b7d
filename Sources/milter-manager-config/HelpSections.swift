/// Lines of the FILES, ENVIRONMENT and EXIT STATUS sections that several subcommands' `--help`
/// share, written once (each line at most 78 columns, indented as in the sections).
enum HelpSections {
    /// FILES: where the platform is read from, for `--platform`.
    static let platformFiles = """
          /etc/os-release, /etc/redhat-release, /etc/debian_version
              the platform, when --platform is not given
        """

    /// FILES: what detection reads.
    static let detectionFiles = """
          init scripts, units, /etc/default, /etc/sysconfig, rc.conf and
          the milters' own files (greylist.conf, clamav-milter.conf, ...)
              read to find the installed milters and their sockets
        """

    /// FILES: where `postfix` and `sendmail` find the manager's socket.
    static let socketFiles = """
          /etc/milter-manager/milter-manager.conf (and what it loads)
              manager.connection_spec; searched in --config-dir, then
              $MILTER_MANAGER_CONFIG_DIR, then /etc/milter-manager
          /etc/default/milter-manager, /etc/sysconfig/milter-manager
              CONNECTION_SPEC or OPTION_ARGS -s: the socket the service
              passes the daemon, which wins over milter-manager.conf
          /etc/os-release, /etc/redhat-release, /etc/debian_version
              the platform, for its default socket
        """

    /// FILES: Postfix's files, read to know whether smtpd runs chrooted and where.
    static let postfixChrootFiles = """
          /etc/postfix/master.cf
              whether smtpd runs chrooted
          /etc/postfix/main.cf
              queue_directory (the chroot)
        """

    /// ENVIRONMENT: `$MILTER_MANAGER_CONFIG_DIR`.
    static let configDirectoryEnvironment = """
          MILTER_MANAGER_CONFIG_DIR
              searched for milter-manager.conf after --config-dir
        """

    /// ENVIRONMENT: `$MILTER_MANAGER_DATA_DIR`.
    static let dataDirectoryEnvironment = """
          MILTER_MANAGER_DATA_DIR
              where templates/ is (default: share/milter-manager beside
              the executable's directory)
        """

    /// ENVIRONMENT and EXIT STATUS of the subcommands that load milter-manager.conf for its
    /// socket and render a template (`postfix`, `sendmail`).
    static let socketEnvironmentAndExitStatus = """
        ENVIRONMENT
        \(configDirectoryEnvironment)
        \(dataDirectoryEnvironment)

        EXIT STATUS
          0 success, 1 runtime failure, 64 bad usage, 66 a missing
          --config-dir or an unreadable milter-manager.conf, 78 a
          configuration that does not load.
        """
}
