#include "tests/support/postgres_dir.h"

#include <QDir>
#include <QProcess>
#include <csignal>
#include <cstdio>
#include <unistd.h>

namespace atende::test {

namespace {

// $1 test PID, $2 data dir. Waits for the test process to go away (a zombie counts as gone: PID 1 in a
// container may never reap it; the start time guards against PID reuse). If the data dir is still there
// the process died without cleaning up: stop the postmasters of clusters in it (SIGQUIT = immediate
// shutdown), remove it.
constexpr auto kWatchdogScript = R"sh(
stat_of() { sed -n 's/^.*) \(.*\)$/\1/p' "/proc/$1/stat" 2>/dev/null; }
started=$(stat_of "$1" | cut -d' ' -f20)
while :; do
  s=$(stat_of "$1")
  [ -n "$s" ] || break
  case "$s" in Z*|X*) break ;; esac
  [ "$(echo "$s" | cut -d' ' -f20)" = "$started" ] || break
  sleep 1
done
[ -d "$2" ] || exit 0
for lock in $(find "$2" -maxdepth 4 -name postmaster.pid 2>/dev/null); do
  pid=$(head -n 1 "$lock" 2>/dev/null)
  [ -n "$pid" ] && kill -QUIT "$pid" 2>/dev/null
  i=0; while [ $i -lt 50 ] && [ -e "$lock" ]; do sleep 0.1; i=$((i+1)); done
done
rm -rf -- "$2"
)sh";

} // namespace

PostgresDir::PostgresDir()
    : m_dir(QDir::tempPath() + QStringLiteral("/atende-pg-XXXXXX"))
{
    if (!m_dir.isValid())
        return;
    if (qEnvironmentVariableIntValue("ATENDE_TEST_PG_KEEP") == 1) {
        m_dir.setAutoRemove(false);
        std::fprintf(stderr, "ATENDE_TEST_PG_KEEP: PostgreSQL test directory %s\n", qPrintable(m_dir.path()));
        return;
    }
    startWatchdog();
}

PostgresDir::~PostgresDir()
{
    if (m_watchdogPid > 0)
        ::kill(pid_t(m_watchdogPid), SIGTERM);
    if (!m_dir.isValid())
        return;
    server::db::EmbeddedPostgres cluster(options());
    if (cluster.isRunning()) {
        if (auto s = cluster.stop(); !s.ok())
            std::fprintf(stderr, "PostgreSQL in %s did not stop: %s\n", qPrintable(m_dir.path()),
                         qPrintable(s.error().message));
    }
}

server::db::EmbeddedPostgresOptions PostgresDir::options(bool unsafeFast) const
{
    server::db::EmbeddedPostgresOptions o;
    o.dataDir = m_dir.path();
    o.unsafeFast = unsafeFast;
    return o;
}

void PostgresDir::startWatchdog()
{
    QProcess watchdog;
    watchdog.setProgram(QStringLiteral("/bin/sh"));
    watchdog.setArguments({QStringLiteral("-c"), QString::fromLatin1(kWatchdogScript),
                           QStringLiteral("atende-pg-watchdog"), QString::number(::getpid()), m_dir.path()});
    // No inherited pipes: ctest waits for EOF on the test's stdout, which the watchdog must not hold open.
    watchdog.setStandardInputFile(QProcess::nullDevice());
    watchdog.setStandardOutputFile(QProcess::nullDevice());
    watchdog.setStandardErrorFile(QProcess::nullDevice());
    watchdog.setWorkingDirectory(QStringLiteral("/"));
    if (!watchdog.startDetached(&m_watchdogPid))
        m_watchdogPid = 0;
}

} // namespace atende::test
