#include "server/db/embedded_postgres.h"

#include "server/db/db_log.h"

#include <QDateTime>
#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonObject>
#include <QProcess>
#include <QThread>
#include <cerrno>
#include <clocale>
#include <cstring>
#include <fcntl.h>
#include <grp.h>
#include <optional>
#include <pwd.h>
#include <signal.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/un.h>
#include <unistd.h>
#include <vector>

namespace atende::server::db {

namespace {

constexpr int kDefaultSocketPort = 5432; // only names the socket file when TCP is off
constexpr qint64 kLogRotateBytes = 16 * 1024 * 1024;
constexpr int kInitdbTimeoutMs = 180 * 1000;
constexpr int kStopTimeoutSeconds = 60;
constexpr int kOrphanWaitMs = 5000;

atende::core::Error failure(const QString &step, const QString &message)
{
    return atende::core::Error::make(atende::core::errc::kUnavailable, message,
                                     QJsonObject{{QStringLiteral("step"), step}});
}

struct OsUser {
    QString name;
    uid_t uid = 0;
    gid_t gid = 0;
    std::vector<gid_t> groups;
};

std::optional<OsUser> lookupUser(const QString &name)
{
    const QByteArray n = name.toLocal8Bit();
    const passwd *pw = ::getpwnam(n.constData());
    if (!pw)
        return std::nullopt;
    OsUser u;
    u.name = name;
    u.uid = pw->pw_uid;
    u.gid = pw->pw_gid;
    int count = 32;
    u.groups.resize(size_t(count));
    if (::getgrouplist(n.constData(), u.gid, u.groups.data(), &count) < 0) {
        u.groups.resize(size_t(count));
        ::getgrouplist(n.constData(), u.gid, u.groups.data(), &count);
    }
    u.groups.resize(size_t(qMax(count, 0)));
    return u;
}

QString currentUserName()
{
    if (const passwd *pw = ::getpwuid(::geteuid()))
        return QString::fromLocal8Bit(pw->pw_name);
    return QString::number(::geteuid());
}

// Can `user` enter (search) `dir`? Mode bits only; root can always.
bool canSearch(const OsUser &user, const QString &dir, mode_t *modeOut = nullptr)
{
    struct stat st {};
    if (::stat(QFile::encodeName(dir).constData(), &st) != 0)
        return false;
    if (modeOut)
        *modeOut = st.st_mode & 07777;
    if (user.uid == 0)
        return true;
    if (st.st_uid == user.uid)
        return st.st_mode & S_IXUSR;
    for (gid_t g : user.groups) {
        if (g == st.st_gid)
            return st.st_mode & S_IXGRP;
    }
    return st.st_mode & S_IXOTH;
}

QString octal(mode_t mode)
{
    return QStringLiteral("%1").arg(uint(mode), 4, 8, QLatin1Char('0'));
}

bool chownPath(const QString &path, uid_t uid, gid_t gid)
{
    return ::chown(QFile::encodeName(path).constData(), uid, gid) == 0;
}

// The state letter of /proc/<pid>/stat ('Z' for a zombie), 0 when unreadable.
char processState(qint64 pid)
{
    QFile f(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!f.open(QIODevice::ReadOnly))
        return 0;
    const QByteArray line = f.readAll();
    const int close = line.lastIndexOf(')');
    return close >= 0 && close + 2 < line.size() ? line.at(close + 2) : 0;
}

bool processExists(qint64 pid)
{
    if (pid <= 0)
        return false;
    if (::kill(pid_t(pid), 0) != 0 && errno != EPERM)
        return false;
    const char state = processState(pid);
    return state != 'Z' && state != 'X';
}

QByteArray readFirstLine(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return f.readLine().trimmed();
}

// Single-quotes a token for the shell that pg_ctl runs the postmaster through.
QString shellQuote(const QString &s)
{
    QString out = s;
    out.replace(QLatin1Char('\''), QStringLiteral("'\\''"));
    return QLatin1Char('\'') + out + QLatin1Char('\'');
}

QString tail(const QString &path, int lines)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    if (f.size() > 64 * 1024)
        f.seek(f.size() - 64 * 1024);
    const QStringList all = QString::fromUtf8(f.readAll()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    return all.mid(qMax(0, int(all.size()) - lines)).join(QLatin1Char('\n'));
}

bool localeAvailable(const char *name)
{
    locale_t l = ::newlocale(LC_ALL_MASK, name, locale_t(nullptr));
    if (!l)
        return false;
    ::freelocale(l);
    return true;
}

QString findRunuser()
{
    for (const char *p : {"/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser", "/bin/runuser"}) {
        if (QFileInfo(QString::fromLatin1(p)).isExecutable())
            return QString::fromLatin1(p);
    }
    return {};
}

struct ProcessOutcome {
    bool ok = false;
    QString output; // stdout + stderr, or why it could not run
};

} // namespace

struct EmbeddedPostgres::Impl {
    static QString pidFile(const EmbeddedPostgres &self)
    {
        return self.clusterDir() + QStringLiteral("/postmaster.pid");
    }

    static bool ownPostmaster(const EmbeddedPostgres &self, qint64 pid)
    {
        if (!processExists(pid))
            return false;
        // The PID may have been reused after a crash or reboot: it must be a postgres process...
        QFile comm(QStringLiteral("/proc/%1/comm").arg(pid));
        if (comm.open(QIODevice::ReadOnly) && comm.readAll().trimmed() != "postgres")
            return false;
        // ...whose working directory is this cluster (readable for our own processes, and as root).
        const QString cwd = QFile::symLinkTarget(QStringLiteral("/proc/%1/cwd").arg(pid));
        if (!cwd.isEmpty() && cwd != QFileInfo(self.clusterDir()).canonicalFilePath())
            return false;
        return true;
    }

    // Runs a tool from binDir, through runuser when the cluster belongs to another OS user.
    static ProcessOutcome runTool(const EmbeddedPostgres &self, const QString &tool, const QStringList &args,
                                  int timeoutMs)
    {
        const QString binary = self.m_options.binDir + QLatin1Char('/') + tool;
        if (!QFileInfo(binary).isExecutable())
            return {false, QStringLiteral("%1 not found (is postgresql-15 installed?)").arg(binary)};
        QString program = binary;
        QStringList arguments = args;
        if (!self.m_osUser.isEmpty()) {
            program = findRunuser();
            if (program.isEmpty())
                return {false,
                        QStringLiteral("runuser not found; it is needed to run PostgreSQL as '%1'").arg(self.m_osUser)};
            arguments = QStringList{QStringLiteral("-u"), self.m_osUser, QStringLiteral("--"), binary} + args;
        }
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        // libpq / pg_ctl read these; the cluster must only see what we pass explicitly.
        const QStringList keys = env.keys();
        for (const QString &key : keys) {
            if (key.startsWith(QLatin1String("PG")))
                env.remove(key);
        }
        QProcess p;
        p.setProcessEnvironment(env);
        p.setWorkingDirectory(QStringLiteral("/")); // the cluster user may not be able to enter our cwd
        p.setProcessChannelMode(QProcess::MergedChannels);
        p.start(program, arguments);
        if (!p.waitForStarted(10000))
            return {false, QStringLiteral("could not run %1: %2").arg(program, p.errorString())};
        if (!p.waitForFinished(timeoutMs)) {
            p.kill();
            p.waitForFinished(2000);
            return {false, QStringLiteral("%1 %2 did not finish within %3 s; output: %4")
                               .arg(tool, args.value(0))
                               .arg(timeoutMs / 1000)
                               .arg(QString::fromLocal8Bit(p.readAll()).trimmed())};
        }
        const QString out = QString::fromLocal8Bit(p.readAll()).trimmed();
        if (p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0)
            return {false, QStringLiteral("%1 exited with code %2: %3").arg(tool).arg(p.exitCode()).arg(out)};
        return {true, out};
    }

    // Decides which OS user runs the cluster; creates `atende` when running as root without `postgres`.
    static atende::core::Result<OsUser> resolveUser(EmbeddedPostgres &self)
    {
        const QString current = currentUserName();
        if (::geteuid() != 0) {
            if (!self.m_options.runAsUser.isEmpty() && self.m_options.runAsUser != current)
                return failure(QStringLiteral("user"),
                               QStringLiteral("cannot run PostgreSQL as '%1': only root can switch users "
                                              "(this process runs as '%2')")
                                   .arg(self.m_options.runAsUser, current));
            self.m_osUser.clear();
            if (auto u = lookupUser(current))
                return *u;
            OsUser u;
            u.name = current;
            u.uid = ::geteuid();
            u.gid = ::getegid();
            return u;
        }
        QString name = self.m_options.runAsUser;
        if (name.isEmpty())
            name = lookupUser(QStringLiteral("postgres")) ? QStringLiteral("postgres") : QStringLiteral("atende");
        if (name == QLatin1String("root"))
            return failure(QStringLiteral("user"), QStringLiteral("PostgreSQL refuses to run as root; "
                                                                  "choose an unprivileged runAsUser"));
        if (!lookupUser(name) && name == QLatin1String("atende")) {
            QProcess useradd;
            useradd.setProcessChannelMode(QProcess::MergedChannels);
            useradd.start(QStringLiteral("/usr/sbin/useradd"),
                          {QStringLiteral("--system"), QStringLiteral("--no-create-home"), QStringLiteral("--home-dir"),
                           QStringLiteral("/nonexistent"), QStringLiteral("--shell"),
                           QStringLiteral("/usr/sbin/nologin"), QStringLiteral("--user-group"), name});
            useradd.waitForFinished(30000);
            // Another process may have created it meanwhile (exit code 9): only the lookup below counts.
            if (!lookupUser(name))
                return failure(QStringLiteral("user"),
                               QStringLiteral("could not create system user '%1': %2")
                                   .arg(name, QString::fromLocal8Bit(useradd.readAll()).trimmed()));
            qCInfo(lcDb) << "created system user" << name << "for the embedded PostgreSQL cluster";
        }
        const auto user = lookupUser(name);
        if (!user)
            return failure(QStringLiteral("user"), QStringLiteral("OS user '%1' does not exist").arg(name));
        if (user->uid == 0)
            return failure(QStringLiteral("user"), QStringLiteral("OS user '%1' has uid 0; PostgreSQL refuses "
                                                                  "to run as root")
                                                       .arg(name));
        self.m_osUser = name;
        return *user;
    }

    // Root only: make sure the cluster user can reach <dataDir>/pgdata (see the header for the policy).
    static atende::core::Status ensureTraversable(const EmbeddedPostgres &self, const OsUser &user)
    {
        const QString dataDir = QFileInfo(self.m_options.dataDir).canonicalFilePath();
        QStringList ancestors;
        for (QString d = QFileInfo(dataDir).path(); !d.isEmpty(); d = QFileInfo(d).path()) {
            ancestors.prepend(d);
            if (d == QLatin1String("/"))
                break;
        }
        for (const QString &dir : std::as_const(ancestors)) {
            mode_t mode = 0;
            if (canSearch(user, dir, &mode))
                continue;
            if (!self.m_options.grantParentSearch)
                return failure(QStringLiteral("permissions"),
                               QStringLiteral("PostgreSQL runs as OS user '%1', which cannot enter %2 (mode %3), "
                                              "a parent of the data directory %4. Put the data directory "
                                              "somewhere that user can reach (e.g. /var/lib/atende), run "
                                              "`chmod o+x %2`, or enable grantParentSearch")
                                   .arg(user.name, dir, octal(mode), dataDir));
            if (::chmod(QFile::encodeName(dir).constData(), (mode | S_IXOTH) & 07777) != 0)
                return failure(
                    QStringLiteral("permissions"),
                    QStringLiteral("could not add o+x to %1: %2").arg(dir, QString::fromLocal8Bit(::strerror(errno))));
            qCWarning(lcDb) << "granted search permission (o+x) on" << dir << "so that OS user" << user.name
                            << "can reach the embedded PostgreSQL cluster";
        }
        mode_t mode = 0;
        if (!canSearch(user, dataDir, &mode)) {
            const QByteArray path = QFile::encodeName(dataDir);
            if (::chown(path.constData(), uid_t(-1), user.gid) != 0 ||
                ::chmod(path.constData(), (mode | S_IXGRP) & 07777) != 0)
                return failure(QStringLiteral("permissions"),
                               QStringLiteral("could not let OS user '%1' enter %2: %3")
                                   .arg(user.name, dataDir, QString::fromLocal8Bit(::strerror(errno))));
            qCInfo(lcDb) << "data directory" << dataDir << "now group" << user.name << "with g+x";
        }
        return {};
    }

    static atende::core::Status prepareDirectories(const EmbeddedPostgres &self, const OsUser &user)
    {
        const bool asRoot = !self.m_osUser.isEmpty();
        const QString cluster = self.clusterDir();
        const QString sock = self.socketDir();
        for (const QString &dir : {cluster, sock}) {
            if (!QFileInfo::exists(dir) && !QDir().mkpath(dir))
                return failure(QStringLiteral("permissions"), QStringLiteral("could not create %1").arg(dir));
        }
        if (!QFileInfo::exists(cluster + QStringLiteral("/PG_VERSION")) && asRoot)
            chownPath(cluster, user.uid, user.gid);
        struct stat st {};
        if (::stat(QFile::encodeName(cluster).constData(), &st) == 0 && st.st_uid != user.uid)
            return failure(QStringLiteral("permissions"),
                           QStringLiteral("%1 belongs to uid %2, but the cluster runs as '%3' (uid %4)")
                               .arg(cluster)
                               .arg(st.st_uid)
                               .arg(user.name)
                               .arg(user.uid));
        // The socket directory is what makes `local trust` safe: only its owner (and root) may enter.
        if (asRoot && !chownPath(sock, user.uid, user.gid))
            return failure(QStringLiteral("permissions"), QStringLiteral("could not chown %1").arg(sock));
        if (::chmod(QFile::encodeName(sock).constData(), 0700) != 0)
            return failure(QStringLiteral("permissions"), QStringLiteral("could not chmod 0700 %1").arg(sock));

        const QString log = self.logFile();
        QFile logFile(log);
        if (logFile.size() > kLogRotateBytes) {
            QFile::remove(log + QStringLiteral(".1"));
            QFile::rename(log, log + QStringLiteral(".1"));
        }
        if (!logFile.open(QIODevice::Append))
            return failure(QStringLiteral("permissions"), QStringLiteral("could not open %1").arg(log));
        logFile.close();
        ::chmod(QFile::encodeName(log).constData(), 0600);
        if (asRoot)
            chownPath(log, user.uid, user.gid);
        return {};
    }

    static void appendToLog(const EmbeddedPostgres &self, const QString &title, const QString &text)
    {
        QFile f(self.logFile());
        if (!f.open(QIODevice::Append))
            return;
        f.write(QStringLiteral("---- %1 %2\n%3\n")
                    .arg(QDateTime::currentDateTimeUtc().toString(Qt::ISODate), title, text)
                    .toUtf8());
    }

    static atende::core::Status initdb(const EmbeddedPostgres &self)
    {
        const QString cluster = self.clusterDir();
        if (!QDir(cluster).isEmpty(QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot))
            return failure(QStringLiteral("initdb"),
                           QStringLiteral("%1 is not empty but holds no PostgreSQL cluster (no PG_VERSION); "
                                          "move it away to start afresh")
                               .arg(cluster));
        QStringList args{QStringLiteral("-D"),
                         cluster,
                         QStringLiteral("-U"),
                         QStringLiteral("postgres"),
                         QStringLiteral("-E"),
                         QStringLiteral("UTF8"),
                         QStringLiteral("--auth-local=trust"),
                         QStringLiteral("--auth-host=scram-sha-256")};
        // C.UTF-8 keeps byte-order collation (stable, fast) while upper()/lower()/ILIKE know accents.
        if (localeAvailable("C.UTF-8")) {
            args << QStringLiteral("--locale=C.UTF-8");
        } else {
            qCWarning(lcDb) << "locale C.UTF-8 is not available; initialising the cluster with --no-locale";
            args << QStringLiteral("--no-locale");
        }
        // initdb fsyncs every file it writes, one by one: seconds on a busy disk. One syncfs() of the
        // file system afterwards gives the same durability for a fraction of the time.
        args << QStringLiteral("--no-sync");
        qCInfo(lcDb) << "creating PostgreSQL cluster in" << cluster;
        const ProcessOutcome r = runTool(self, QStringLiteral("initdb"), args, kInitdbTimeoutMs);
        appendToLog(self, QStringLiteral("initdb"), r.output);
        if (!r.ok)
            return failure(QStringLiteral("initdb"), QStringLiteral("initdb failed: %1").arg(r.output));
        if (!self.m_options.unsafeFast) {
            const int fd = ::open(QFile::encodeName(cluster).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
            if (fd < 0 || ::syncfs(fd) != 0)
                qCWarning(lcDb) << "could not sync the new cluster to disk";
            if (fd >= 0)
                ::close(fd);
        }
        return {};
    }

    // Removes postmaster.pid and the socket lock left by a postmaster that died without cleaning up.
    static atende::core::Status clearStaleLocks(const EmbeddedPostgres &self)
    {
        const QString pidPath = pidFile(self);
        QFile pidFile(pidPath);
        if (pidFile.open(QIODevice::ReadOnly)) {
            const QList<QByteArray> lines = pidFile.readAll().split('\n');
            pidFile.close();
            const qint64 pid = lines.value(0).trimmed().toLongLong();
            if (ownPostmaster(self, pid))
                return {}; // running after all; pg_ctl will say so
            // Line 7: "<shm key> <shm id>". Backends of the dead postmaster may still be attached; they
            // notice the postmaster's death and exit on their own within moments.
            const QList<QByteArray> shm = lines.value(6).simplified().split(' ');
            const int shmId = shm.size() == 2 ? shm.at(1).toInt() : -1;
            if (shmId >= 0) {
                QDeadlineTimer deadline(kOrphanWaitMs);
                for (;;) {
                    shmid_ds ds{};
                    if (::shmctl(shmId, IPC_STAT, &ds) != 0 || ds.shm_nattch == 0)
                        break;
                    if (deadline.hasExpired())
                        return failure(QStringLiteral("start"),
                                       QStringLiteral("old PostgreSQL processes of %1 are still running "
                                                      "(shared memory %2 has %3 processes attached); stop them first")
                                           .arg(self.clusterDir())
                                           .arg(shmId)
                                           .arg(ds.shm_nattch));
                    QThread::msleep(50);
                }
            }
            qCWarning(lcDb) << "removing stale postmaster.pid of PID" << pid << "(not running)";
            if (!QFile::remove(pidPath))
                return failure(QStringLiteral("start"), QStringLiteral("could not remove stale %1").arg(pidPath));
        }
        const QString sockLock = self.socketDir() + QStringLiteral("/.s.PGSQL.%1.lock").arg(self.port());
        const qint64 sockPid = readFirstLine(sockLock).toLongLong();
        if (QFileInfo::exists(sockLock) && !ownPostmaster(self, sockPid))
            QFile::remove(sockLock);
        return {};
    }

    static atende::core::Status pgCtlStart(const EmbeddedPostgres &self)
    {
        const bool tcp = self.m_options.tcpPort > 0;
        QStringList opts{QStringLiteral("-p"), QString::number(self.port()), QStringLiteral("-k"),
                         // Double quotes inside the GUC value: the directory may contain spaces or commas.
                         QLatin1Char('"') + self.socketDir() + QLatin1Char('"'), QStringLiteral("-c"),
                         QStringLiteral("listen_addresses=") + (tcp ? self.m_options.tcpAddress : QString()),
                         QStringLiteral("-c"), QStringLiteral("unix_socket_permissions=0700")};
        if (self.m_options.unsafeFast) {
            for (const char *setting : {"fsync=off", "synchronous_commit=off", "full_page_writes=off"})
                opts << QStringLiteral("-c") << QString::fromLatin1(setting);
        }
        QStringList quoted;
        for (const QString &o : std::as_const(opts))
            quoted << shellQuote(o);
        const int timeout = qMax(1, self.m_options.startTimeoutSeconds);
        const QStringList args{QStringLiteral("start"),      QStringLiteral("-D"),     self.clusterDir(),
                               QStringLiteral("-l"),         self.logFile(),           QStringLiteral("-w"),
                               QStringLiteral("-t"),         QString::number(timeout), QStringLiteral("-o"),
                               quoted.join(QLatin1Char(' '))};
        const ProcessOutcome r = runTool(self, QStringLiteral("pg_ctl"), args, (timeout + 15) * 1000);
        if (!r.ok)
            return failure(QStringLiteral("start"),
                           QStringLiteral("PostgreSQL did not start: %1\nlast lines of %2:\n%3")
                               .arg(r.output, self.logFile(), tail(self.logFile(), 15)));
        return {};
    }
};

EmbeddedPostgres::EmbeddedPostgres(EmbeddedPostgresOptions options)
    : m_options(std::move(options))
{
    if (!m_options.dataDir.isEmpty())
        m_options.dataDir = QDir::cleanPath(QDir(m_options.dataDir).absolutePath());
}

EmbeddedPostgres::~EmbeddedPostgres() = default;

atende::core::Status EmbeddedPostgres::start()
{
    if (m_options.dataDir.isEmpty())
        return atende::core::Error::make(atende::core::errc::kInvalidArgument,
                                         QStringLiteral("embedded PostgreSQL needs a data directory"));
    for (const QChar c : {QLatin1Char('"'), QLatin1Char('\\'), QLatin1Char('$'), QLatin1Char('`'), QLatin1Char('\n')}) {
        if (m_options.dataDir.contains(c))
            return atende::core::Error::make(
                atende::core::errc::kInvalidArgument,
                QStringLiteral("the data directory path %1 contains %2, which pg_ctl cannot "
                               "pass through its shell")
                    .arg(m_options.dataDir, QString(c)));
    }
    const QString socketFile = socketDir() + QStringLiteral("/.s.PGSQL.%1").arg(port());
    if (QFile::encodeName(socketFile).size() >= qsizetype(sizeof(sockaddr_un::sun_path)))
        return atende::core::Error::make(
            atende::core::errc::kInvalidArgument,
            QStringLiteral("the socket path %1 is too long for a Unix socket (max %2 bytes); "
                           "choose a shorter data directory")
                .arg(socketFile)
                .arg(sizeof(sockaddr_un::sun_path) - 1));

    if (!QFileInfo::exists(m_options.dataDir)) {
        if (!QDir().mkpath(m_options.dataDir))
            return failure(QStringLiteral("permissions"), QStringLiteral("could not create %1").arg(m_options.dataDir));
        QFile::setPermissions(m_options.dataDir, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    }

    auto user = Impl::resolveUser(*this);
    if (!user.ok())
        return user.error();

    if (isRunning()) {
        // Left running by an earlier process (pg_ctl detaches the postmaster); just use it.
        qCInfo(lcDb) << "embedded PostgreSQL already running, PID" << postmasterPid();
        m_started = true;
        return {};
    }
    if (!m_osUser.isEmpty()) {
        if (auto s = Impl::ensureTraversable(*this, *user); !s.ok())
            return s;
    }
    if (auto s = Impl::prepareDirectories(*this, *user); !s.ok())
        return s;
    if (!QFileInfo::exists(clusterDir() + QStringLiteral("/PG_VERSION"))) {
        if (auto s = Impl::initdb(*this); !s.ok())
            return s;
    }
    if (auto s = Impl::clearStaleLocks(*this); !s.ok())
        return s;
    if (auto s = Impl::pgCtlStart(*this); !s.ok())
        return s;
    m_started = true;
    qCInfo(lcDb) << "embedded PostgreSQL running, PID" << postmasterPid() << "socket" << socketDir() << "as"
                 << osUser();
    return {};
}

atende::core::Status EmbeddedPostgres::stop()
{
    const qint64 pid = postmasterPid();
    if (pid == 0) {
        m_started = false;
        return {};
    }
    if (m_osUser.isEmpty() && ::geteuid() == 0) {
        // Stopping a cluster this object did not start (e.g. after a crash of the process that did):
        // pg_ctl refuses root, so act as the cluster's owner.
        struct stat st {};
        const passwd *pw =
            ::stat(QFile::encodeName(clusterDir()).constData(), &st) == 0 ? ::getpwuid(st.st_uid) : nullptr;
        if (pw && st.st_uid != 0)
            m_osUser = QString::fromLocal8Bit(pw->pw_name);
    }
    const ProcessOutcome r = Impl::runTool(*this, QStringLiteral("pg_ctl"),
                                           {QStringLiteral("stop"), QStringLiteral("-D"), clusterDir(),
                                            QStringLiteral("-m"), QStringLiteral("fast"), QStringLiteral("-w"),
                                            QStringLiteral("-t"), QString::number(kStopTimeoutSeconds)},
                                           (kStopTimeoutSeconds + 15) * 1000);
    if (!r.ok)
        return failure(QStringLiteral("stop"), QStringLiteral("PostgreSQL did not stop: %1").arg(r.output));
    // pg_ctl returns once postmaster.pid is gone; the process exits right after. Wait for that too so
    // that callers can rely on "stopped" meaning "no process".
    QDeadlineTimer deadline(5000);
    while (processExists(pid) && !deadline.hasExpired())
        QThread::msleep(10);
    m_started = false;
    qCInfo(lcDb) << "embedded PostgreSQL stopped";
    return {};
}

bool EmbeddedPostgres::isRunning() const
{
    return postmasterPid() != 0;
}

DbConfig EmbeddedPostgres::superuserConfig() const
{
    DbConfig c;
    c.host = socketDir();
    c.port = port();
    c.user = QStringLiteral("postgres");
    c.database = QStringLiteral("postgres");
    return c;
}

QString EmbeddedPostgres::socketDir() const
{
    return m_options.dataDir + QStringLiteral("/pgsock");
}

QString EmbeddedPostgres::clusterDir() const
{
    return m_options.dataDir + QStringLiteral("/pgdata");
}

QString EmbeddedPostgres::logFile() const
{
    return m_options.dataDir + QStringLiteral("/postgresql.log");
}

QString EmbeddedPostgres::osUser() const
{
    return m_osUser.isEmpty() ? currentUserName() : m_osUser;
}

int EmbeddedPostgres::port() const
{
    return m_options.tcpPort > 0 ? m_options.tcpPort : kDefaultSocketPort;
}

qint64 EmbeddedPostgres::postmasterPid() const
{
    const qint64 pid = readFirstLine(Impl::pidFile(*this)).toLongLong();
    return Impl::ownPostmaster(*this, pid) ? pid : 0;
}

} // namespace atende::server::db
