// MasterKeySource: the key file is created on first use with mode 0600 and read back on later starts, a
// key file that group or others can read is refused, and a base64 value wins over the file.

#include "server/secrets/master_key_source.h"
#include "tests/support/status_assertions.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>

#include <gtest/gtest.h>

#include <sys/stat.h>

using namespace atende;
using server::secrets::MasterKeySource;
using server::security::MasterKey;

namespace {

unsigned modeOf(const QString &path)
{
    struct stat st {};
    if (::stat(QFile::encodeName(path).constData(), &st) != 0)
        return 0;
    return unsigned(st.st_mode & 0777);
}

TEST(MasterKeySource, CreatesTheKeyFileWithMode0600AndReadsItBack)
{
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    const MasterKeySource source{dir.filePath(QStringLiteral("master.key")), {}};
    EXPECT_TRUE(test::isError(source.load(MasterKeySource::Create::Never), "key_file_io"));

    core::Result<MasterKey> created = source.load();
    ASSERT_TRUE(test::isOk(created));
    EXPECT_EQ(modeOf(source.file), 0600u);
    EXPECT_EQ(QFileInfo(source.file).size(), MasterKey::kSize);

    core::Result<MasterKey> again = source.load();
    ASSERT_TRUE(test::isOk(again));
    EXPECT_EQ(again->keyId(), created->keyId());
    core::Result<MasterKey> readOnly = source.load(MasterKeySource::Create::Never);
    ASSERT_TRUE(test::isOk(readOnly));
    EXPECT_EQ(readOnly->keyId(), created->keyId());
}

TEST(MasterKeySource, RefusesAKeyFileOthersCanRead)
{
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    const MasterKeySource source{dir.filePath(QStringLiteral("master.key")), {}};
    ASSERT_TRUE(test::isOk(source.load()));
    ASSERT_EQ(::chmod(QFile::encodeName(source.file).constData(), 0644), 0);

    core::Result<MasterKey> refused = source.load();
    ASSERT_TRUE(test::isError(refused, "key_file_insecure_permissions"));
    EXPECT_TRUE(refused.error().message.contains(QStringLiteral("chmod 600"))) << refused.error().message.toStdString();
    EXPECT_EQ(modeOf(source.file), 0644u); // refused, not silently "fixed" or replaced
}

TEST(MasterKeySource, Base64ValueWinsOverTheFile)
{
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    core::Result<MasterKey> key = MasterKey::generate();
    ASSERT_TRUE(test::isOk(key));
    const MasterKeySource source{dir.filePath(QStringLiteral("master.key")), QString::fromLatin1(key->toBase64())};
    core::Result<MasterKey> loaded = source.load();
    ASSERT_TRUE(test::isOk(loaded));
    EXPECT_EQ(loaded->keyId(), key->keyId());
    EXPECT_FALSE(QFile::exists(source.file)); // no key file is created when the value is given
    EXPECT_FALSE(source.describe().contains(QString::fromLatin1(key->toBase64()))); // never echoed

    const MasterKeySource bad{source.file, QStringLiteral("not base64!")};
    EXPECT_TRUE(test::isError(bad.load(), "master_key_invalid"));
}

} // namespace
