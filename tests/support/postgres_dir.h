#pragma once
// A temporary data directory for an EmbeddedPostgres in a test ($TMPDIR/atende-pg-XXXXXX).
//
// Tests that stop, restart or kill a cluster need their own; testPostgres() uses one too. The destructor
// stops a cluster still running in it and removes it. If the test process dies first (crash, ctest's
// timeout kill), a small detached watchdog shell notices, shuts the orphaned postmaster down (SIGQUIT,
// immediate shutdown) and removes the directory, so CI machines do not collect stray postmasters.
// The directory itself is the data dir (not a subdirectory of it): as root EmbeddedPostgres gives the
// cluster user g+x on the data dir but refuses to open up 0700 parents (see embedded_postgres.h).
//
// ATENDE_TEST_PG_KEEP=1 keeps the directories (postgresql.log for a post-mortem); their paths are printed.

#include "server/db/embedded_postgres.h"

#include <QString>
#include <QTemporaryDir>

namespace atende::test {

class PostgresDir {
public:
    PostgresDir();
    ~PostgresDir();
    PostgresDir(const PostgresDir &) = delete;
    PostgresDir &operator=(const PostgresDir &) = delete;

    bool isValid() const { return m_dir.isValid(); }
    QString errorString() const { return m_dir.errorString(); }
    QString path() const { return m_dir.path(); }

    // Options for an EmbeddedPostgres living in this directory.
    server::db::EmbeddedPostgresOptions options(bool unsafeFast = true) const;

private:
    void startWatchdog();

    QTemporaryDir m_dir;
    qint64 m_watchdogPid = 0;
};

} // namespace atende::test
