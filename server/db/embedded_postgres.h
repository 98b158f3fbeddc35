#pragma once
// A private PostgreSQL 15 cluster under a data directory (ARCHITECTURE.md decision 1, "embedded default").
// initdb on first start, `pg_ctl start -w` afterwards; Unix socket only (in a 0700 directory) unless a TCP
// port is asked for. When the process runs as root the cluster runs as an unprivileged system user
// (`postgres` if it exists, else `atende`, created with useradd --system). A cluster that crashed is simply
// started again: PostgreSQL replays its WAL itself. Used by atende-server and by the test fixtures.
//
// Layout: <dataDir>/pgdata (the cluster), <dataDir>/pgsock (socket directory, mode 0700, owned by the
// cluster user), <dataDir>/postgresql.log (server log, also gets initdb's output; rotated once to
// postgresql.log.1 when it passes 16 MiB at start). Binaries come from binDir only, never from PATH.
//
// Authentication: `local` lines are `trust`. That is safe because the socket directory is 0700 and
// owned by the cluster user, so only that user (and root) can reach the socket at all. `host` lines are
// scram-sha-256 and the superuser has no password, so TCP logins fail until someone sets one.
//
// Running as root: pgdata, pgsock and the log file are chowned to the cluster user. The cluster user must
// be able to enter (search, `x`) every directory above pgdata:
//  * <dataDir> itself, when the cluster user cannot enter it (say a 0700 mktemp dir), gets the cluster
//    user's group and g+x (e.g. 0700 -> 0710): that user can reach the three entries above by name but can
//    neither list nor read the rest of <dataDir>.
//  * an ancestor of <dataDir> that it cannot enter (typically /root, 0700) is NOT changed by default:
//    start() fails and names the directory and the fixes (move the data directory, e.g. to /var/lib/atende,
//    or `chmod o+x` it). With grantParentSearch = true, o+x is added to such ancestors instead (logged).
// POSIX ACLs are not consulted. The data directory path may not contain " \ $ ` or newlines (pg_ctl
// passes it through a shell), and the socket path must fit in sun_path (about 100 bytes).
//
// Stale locks: a postmaster that was SIGKILLed leaves postmaster.pid (and the socket's .lock) behind. If
// the PID in it is gone, a zombie (no reaping init in containers) or not a postgres process of this
// cluster, start() removes the stale lock files, after checking that no old server process is still
// attached to the cluster's shared memory (it waits a few seconds for orphaned backends to exit).
// A postmaster of this cluster that is already running (pg_ctl detaches it, so it outlives a crashed
// atende-server) is simply adopted by start(); stop() also works on an object that did not start it.

#include "server/db/db_config.h"

#include <QString>

namespace atende::server::db {

struct EmbeddedPostgresOptions {
    QString dataDir; // cluster lives in <dataDir>/pgdata
    QString binDir = QStringLiteral("/usr/lib/postgresql/15/bin");
    int tcpPort = 0; // 0: no TCP listener
    QString tcpAddress = QStringLiteral("127.0.0.1");
    bool unsafeFast = false; // fsync=off etc.; for throwaway test clusters only
    QString runAsUser;       // empty: automatic (see above)
    int startTimeoutSeconds = 60;
    bool grantParentSearch = false; // as root: o+x on blocking ancestors (see above)
};

class EmbeddedPostgres {
public:
    explicit EmbeddedPostgres(EmbeddedPostgresOptions options);
    ~EmbeddedPostgres(); // does NOT stop the cluster; call stop()

    EmbeddedPostgres(const EmbeddedPostgres &) = delete;
    EmbeddedPostgres &operator=(const EmbeddedPostgres &) = delete;

    // initdb if needed, then start and wait until it accepts connections.
    atende::core::Status start();
    // pg_ctl stop -m fast -w. Safe to call twice.
    atende::core::Status stop();
    bool isRunning() const;

    // Superuser connection over the Unix socket (host = socket directory).
    DbConfig superuserConfig() const;
    QString socketDir() const;
    QString clusterDir() const;
    // Port number in the socket name (.s.PGSQL.<port>) and, when TCP is on, the TCP port.
    int port() const;
    // PID of the postmaster, 0 when not running.
    qint64 postmasterPid() const;
    // <dataDir>/postgresql.log
    QString logFile() const;
    // The OS user the cluster runs as (the current user's name when not running as root).
    QString osUser() const;

private:
    EmbeddedPostgresOptions m_options;
    QString m_osUser; // empty when the cluster runs as the current user
    bool m_started = false;
    struct Impl;
    friend struct Impl;
};

} // namespace atende::server::db
