#include "server/security/password_hasher.h"

#include "server/security/constant_time.h"
#include "server/security/error_codes.h"
#include "server/security/logging.h"
#include "server/security/phc_string.h"
#include "server/security/secure_random.h"

#include <argon2.h>
#include <openssl/crypto.h>

namespace atende::server::security {

namespace {

// Owns the UTF-8 copy of a password and wipes it when done.
class PasswordBytes {
public:
    explicit PasswordBytes(QStringView password)
        : m_bytes(password.toString().normalized(QString::NormalizationForm_C).toUtf8())
    {}
    ~PasswordBytes() { OPENSSL_cleanse(m_bytes.data(), size_t(m_bytes.size())); }
    PasswordBytes(const PasswordBytes &) = delete;
    PasswordBytes &operator=(const PasswordBytes &) = delete;

    const char *data() const { return m_bytes.constData(); }
    size_t size() const { return size_t(m_bytes.size()); }
    bool tooLong() const { return m_bytes.size() > PasswordHasher::kMaxPasswordBytes; }

private:
    QByteArray m_bytes;
};

int argon2Raw(quint32 t, quint32 m, quint32 p, const PasswordBytes &pwd, const QByteArray &salt, QByteArray &out)
{
    return argon2id_hash_raw(t, m, p, pwd.data(), pwd.size(), salt.constData(), size_t(salt.size()), out.data(),
                             size_t(out.size()));
}

} // namespace

PasswordHasher::PasswordHasher(Argon2Params params)
    : m_params(params)
{}

atende::core::Result<QString> PasswordHasher::hash(QStringView password) const
{
    const PasswordBytes pwd(password);
    if (pwd.tooLong())
        return atende::core::Error::make(errc::kPasswordTooLong, QStringLiteral("password is too long"));
    auto salt = secureRandomBytes(m_params.saltBytes);
    if (!salt)
        return salt.error();
    PhcArgon2id phc{m_params.memoryKiB, m_params.iterations, m_params.parallelism, std::move(salt.value()),
                    QByteArray(qsizetype(m_params.hashBytes), Qt::Uninitialized)};
    const int rc = argon2Raw(phc.iterations, phc.memoryKiB, phc.parallelism, pwd, phc.salt, phc.hash);
    if (rc != ARGON2_OK)
        return atende::core::Error::make(errc::kPasswordHashFailed, QString::fromLatin1(argon2_error_message(rc)));
    return QString::fromLatin1(phc.format());
}

bool PasswordHasher::verify(QStringView password, QStringView encodedHash) const
{
    const auto phc = PhcArgon2id::parse(encodedHash.toLatin1());
    if (!phc) {
        qCWarning(lcSecurity) << "stored password hash is malformed; treating as mismatch";
        return dummyVerify(password);
    }
    const PasswordBytes pwd(password);
    if (pwd.tooLong())
        return dummyVerify(QStringView());
    QByteArray computed(phc->hash.size(), Qt::Uninitialized);
    const int rc = argon2Raw(phc->iterations, phc->memoryKiB, phc->parallelism, pwd, phc->salt, computed);
    if (rc != ARGON2_OK) {
        qCWarning(lcSecurity) << "argon2 verify failed:" << argon2_error_message(rc);
        return false;
    }
    return constantTimeEquals(computed, phc->hash);
}

bool PasswordHasher::needsRehash(QStringView encodedHash) const
{
    const auto phc = PhcArgon2id::parse(encodedHash.toLatin1());
    if (!phc)
        return true;
    return phc->memoryKiB != m_params.memoryKiB || phc->iterations != m_params.iterations ||
           phc->parallelism != m_params.parallelism || phc->hash.size() != qsizetype(m_params.hashBytes) ||
           phc->salt.size() < qsizetype(m_params.saltBytes);
}

bool PasswordHasher::dummyVerify(QStringView password) const
{
    const PasswordBytes pwd(password.size() > kMaxPasswordBytes ? QStringView() : password);
    // A fixed salt is fine here: the output is thrown away, only the cost matters.
    const QByteArray salt(qsizetype(m_params.saltBytes), '\x5a');
    QByteArray out(qsizetype(m_params.hashBytes), Qt::Uninitialized);
    argon2Raw(m_params.iterations, m_params.memoryKiB, m_params.parallelism, pwd, salt, out);
    return false;
}

} // namespace atende::server::security
