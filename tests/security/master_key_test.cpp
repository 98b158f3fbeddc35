// MasterKey sources: the key file (created 0600 on first run, loose permissions and wrong sizes refused)
// and the base64 environment value.

#include "server/security/master_key.h"
#include "tests/support/status_assertions.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <gtest/gtest.h>

#include <sys/stat.h>

namespace atende::server::security {
namespace {

using atende::test::isError;
using atende::test::isOk;

mode_t modeOf(const QString &path)
{
    struct stat st {};
    EXPECT_EQ(::stat(QFile::encodeName(path).constData(), &st), 0);
    return st.st_mode & 07777;
}

void writeFile(const QString &path, const QByteArray &data, mode_t mode)
{
    QFile f(path);
    ASSERT_TRUE(f.open(QIODevice::WriteOnly));
    ASSERT_EQ(f.write(data), data.size());
    f.close();
    ASSERT_EQ(::chmod(QFile::encodeName(path).constData(), mode), 0);
}

class MasterKeyFileTest : public ::testing::Test {
protected:
    QTemporaryDir m_dir;
    QString path(const char *name) const { return m_dir.filePath(QString::fromLatin1(name)); }
};

TEST_F(MasterKeyFileTest, CreatedOnFirstUseWithMode0600AndReloaded)
{
    ASSERT_TRUE(m_dir.isValid());
    const QString file = path("master.key");
    auto created = MasterKey::loadOrCreateFile(file);
    ASSERT_TRUE(isOk(created));
    EXPECT_EQ(modeOf(file), mode_t(0600));
    EXPECT_EQ(QFileInfo(file).size(), 32);
    // No temporary files are left behind.
    EXPECT_EQ(QDir(m_dir.path()).entryList(QDir::Files), QStringList{QStringLiteral("master.key")});

    auto reloaded = MasterKey::loadOrCreateFile(file);
    ASSERT_TRUE(isOk(reloaded));
    EXPECT_EQ(reloaded->keyId(), created->keyId());
    auto loaded = MasterKey::loadFile(file);
    ASSERT_TRUE(isOk(loaded));
    EXPECT_EQ(loaded->keyId(), created->keyId());
}

TEST_F(MasterKeyFileTest, CreatedWith0600EvenUnderAPermissiveUmask)
{
    const mode_t old = ::umask(0);
    auto created = MasterKey::loadOrCreateFile(path("permissive.key"));
    ::umask(old);
    ASSERT_TRUE(isOk(created));
    EXPECT_EQ(modeOf(path("permissive.key")), mode_t(0600));
}

TEST_F(MasterKeyFileTest, LoosePermissionsAreRefused)
{
    for (mode_t mode : {mode_t(0644), mode_t(0640), mode_t(0604), mode_t(0660), mode_t(0666)}) {
        const QString file = path("loose.key");
        QFile::remove(file);
        writeFile(file, QByteArray(32, '\x07'), mode);
        auto r = MasterKey::loadOrCreateFile(file);
        ASSERT_TRUE(isError(r, "key_file_insecure_permissions")) << std::oct << mode;
        EXPECT_TRUE(r.error().message.contains(QStringLiteral("chmod 600"))) << r.error().message.toStdString();
        EXPECT_TRUE(isError(MasterKey::loadFile(file), "key_file_insecure_permissions"));
        // The file was neither replaced nor "fixed" behind the operator's back.
        EXPECT_EQ(modeOf(file), mode);
    }
    const QString ok = path("tight.key");
    writeFile(ok, QByteArray(32, '\x07'), 0400);
    EXPECT_TRUE(isOk(MasterKey::loadFile(ok)));
}

TEST_F(MasterKeyFileTest, WrongSizeIsRefused)
{
    for (int size : {0, 31, 33, 44}) {
        const QString file = path("sized.key");
        QFile::remove(file);
        writeFile(file, QByteArray(size, 'k'), 0600);
        EXPECT_TRUE(isError(MasterKey::loadOrCreateFile(file), "key_file_invalid")) << size;
    }
}

TEST_F(MasterKeyFileTest, DirectoriesAndMissingParentsAreErrors)
{
    ASSERT_TRUE(QDir(m_dir.path()).mkdir(QStringLiteral("adir")));
    ::chmod(QFile::encodeName(path("adir")).constData(), 0700);
    EXPECT_TRUE(isError(MasterKey::loadFile(path("adir")), "key_file_invalid"));
    EXPECT_TRUE(isError(MasterKey::loadOrCreateFile(path("missing/dir/master.key")), "key_file_io"));
    EXPECT_TRUE(isError(MasterKey::loadFile(path("absent.key")), "key_file_io"));
}

TEST_F(MasterKeyFileTest, SaveNewFileNeverOverwrites)
{
    auto key = MasterKey::generate();
    ASSERT_TRUE(key.ok());
    const QString file = path("next.key");
    ASSERT_TRUE(isOk(key->saveNewFile(file)));
    EXPECT_EQ(modeOf(file), mode_t(0600));
    auto other = MasterKey::generate();
    ASSERT_TRUE(other.ok());
    EXPECT_TRUE(isError(other->saveNewFile(file), "key_file_io"));
    auto loaded = MasterKey::loadFile(file);
    ASSERT_TRUE(loaded.ok());
    EXPECT_EQ(loaded->keyId(), key->keyId());
}

TEST(MasterKeyEnv, Base64Value)
{
    const QByteArray raw(32, '\x11');
    auto key = MasterKey::fromBase64(raw.toBase64());
    ASSERT_TRUE(isOk(key));
    auto fromRaw = MasterKey::fromRaw(raw);
    ASSERT_TRUE(fromRaw.ok());
    EXPECT_EQ(key->keyId(), fromRaw->keyId());
    // As pasted from `openssl rand -base64 32` into a shell: trailing newline, with or without padding.
    EXPECT_TRUE(isOk(MasterKey::fromBase64(raw.toBase64() + '\n')));
    EXPECT_TRUE(isOk(MasterKey::fromBase64(raw.toBase64(QByteArray::OmitTrailingEquals))));
    EXPECT_EQ(MasterKey::fromBase64(key->toBase64())->keyId(), key->keyId());

    EXPECT_TRUE(isError(MasterKey::fromBase64(""), "master_key_invalid"));
    EXPECT_TRUE(isError(MasterKey::fromBase64("not base64 at all!"), "master_key_invalid"));
    EXPECT_TRUE(isError(MasterKey::fromBase64(QByteArray(16, 'a').toBase64()), "master_key_invalid"));
    EXPECT_TRUE(isError(MasterKey::fromBase64(QByteArray(48, 'a').toBase64()), "master_key_invalid"));
}

} // namespace
} // namespace atende::server::security
