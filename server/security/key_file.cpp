#include "server/security/key_file.h"

#include "server/security/error_codes.h"

#include <QFile>
#include <QFileInfo>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utility>

namespace atende::server::security {

namespace {

using atende::core::Error;

// Closes the descriptor on every return path.
class Fd {
public:
    explicit Fd(int fd)
        : m_fd(fd)
    {}
    ~Fd()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    Fd(const Fd &) = delete;
    Fd &operator=(const Fd &) = delete;
    int get() const { return m_fd; }
    int release() { return std::exchange(m_fd, -1); }

private:
    int m_fd;
};

Error ioError(const QString &path, const char *what, int err)
{
    return Error::make(
        errc::kKeyFileIo,
        QStringLiteral("%1 %2: %3").arg(QString::fromLatin1(what), path, QString::fromLocal8Bit(std::strerror(err))),
        {{QStringLiteral("path"), path},
         {QStringLiteral("reason"), err == ENOENT ? QStringLiteral("not_found") : QStringLiteral("io")}});
}

bool writeAll(int fd, const QByteArray &data)
{
    qsizetype done = 0;
    while (done < data.size()) {
        const ssize_t n = ::write(fd, data.constData() + done, size_t(data.size() - done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        done += n;
    }
    return true;
}

bool readAll(int fd, QByteArray &data)
{
    qsizetype done = 0;
    while (done < data.size()) {
        const ssize_t n = ::read(fd, data.data() + done, size_t(data.size() - done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        done += n;
    }
    return true;
}

} // namespace

atende::core::Result<QByteArray> KeyFile::read(const QString &path, qsizetype expectedSize)
{
    const QByteArray native = QFile::encodeName(path);
    Fd fd(::open(native.constData(), O_RDONLY | O_CLOEXEC));
    if (fd.get() < 0)
        return ioError(path, "cannot open key file", errno);
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0)
        return ioError(path, "cannot stat key file", errno);
    if (!S_ISREG(st.st_mode))
        return Error::make(errc::kKeyFileInvalid, QStringLiteral("key file %1 is not a regular file").arg(path),
                           {{QStringLiteral("path"), path}});
    // Like ssh with private keys: a key others can read is not a secret any more, so refuse to start
    // rather than run with it.
    if ((st.st_mode & 077) != 0) {
        const QString mode = QString::number(st.st_mode & 0777, 8).rightJustified(4, u'0');
        return Error::make(errc::kKeyFileInsecure,
                           QStringLiteral("key file %1 has mode %2; it must not be accessible by group or "
                                          "others (run: chmod 600 %1)")
                               .arg(path, mode),
                           {{QStringLiteral("path"), path}, {QStringLiteral("mode"), mode}});
    }
    if (st.st_size != expectedSize)
        return Error::make(errc::kKeyFileInvalid,
                           QStringLiteral("key file %1 must be exactly %2 bytes, it has %3")
                               .arg(path)
                               .arg(expectedSize)
                               .arg(qint64(st.st_size)),
                           {{QStringLiteral("path"), path}});
    QByteArray data(expectedSize, Qt::Uninitialized);
    errno = 0;
    if (!readAll(fd.get(), data))
        return ioError(path, "cannot read key file", errno ? errno : EIO);
    return data;
}

atende::core::Result<KeyFile::CreateOutcome> KeyFile::create(const QString &path, const QByteArray &contents)
{
    const QString dir = QFileInfo(path).absolutePath();
    if (!QFileInfo(dir).isDir())
        return ioError(dir, "key file directory does not exist", ENOENT);

    QByteArray tmpName = QFile::encodeName(path) + QByteArrayLiteral(".tmp-XXXXXX");
    // mkstemp creates the file with mode 0600 regardless of umask widening; fchmod makes it explicit.
    Fd fd(::mkostemp(tmpName.data(), O_CLOEXEC));
    if (fd.get() < 0)
        return ioError(path, "cannot create temporary key file for", errno);
    const auto removeTmp = [&] {
        ::unlink(tmpName.constData());
    };
    if (::fchmod(fd.get(), S_IRUSR | S_IWUSR) != 0 || !writeAll(fd.get(), contents) || ::fsync(fd.get()) != 0) {
        const int err = errno;
        removeTmp();
        return ioError(path, "cannot write key file", err);
    }
    if (::close(fd.release()) != 0) {
        const int err = errno;
        removeTmp();
        return ioError(path, "cannot write key file", err);
    }
    // link() fails with EEXIST instead of replacing: an existing key is never overwritten.
    const QByteArray native = QFile::encodeName(path);
    const int linked = ::link(tmpName.constData(), native.constData());
    const int err = errno;
    removeTmp();
    if (linked != 0)
        return err == EEXIST ? atende::core::Result<CreateOutcome>(CreateOutcome::AlreadyExists)
                             : atende::core::Result<CreateOutcome>(ioError(path, "cannot create key file", err));
    // Make the new directory entry durable too; a failure here is not worth failing start-up for.
    Fd dirFd(::open(QFile::encodeName(dir).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (dirFd.get() >= 0)
        ::fsync(dirFd.get());
    return CreateOutcome::Created;
}

bool KeyFile::isNotFound(const atende::core::Error &error)
{
    return error.code == QLatin1String(errc::kKeyFileIo) &&
           error.details.value(QLatin1String("reason")).toString() == QLatin1String("not_found");
}

} // namespace atende::server::security
