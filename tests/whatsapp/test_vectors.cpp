#include "test_vectors.h"

#include <QFile>

#include <gtest/gtest.h>

namespace atende::server::whatsapp::test {

namespace {

QString pathString(std::initializer_list<const char *> path)
{
    QString out;
    for (const char *p : path)
        out += (out.isEmpty() ? QString() : QStringLiteral(".")) + QString::fromUtf8(p);
    return out;
}

} // namespace

QString vectorsPath()
{
    return QStringLiteral(ATENDE_WA_TEST_VECTORS);
}

const OrderedJson *vectors()
{
    // Parsed once per test run; the file is small.
    static const std::optional<OrderedJson> kParsed = [] {
        QFile file(vectorsPath());
        if (!file.open(QIODevice::ReadOnly))
            return std::optional<OrderedJson>();
        return OrderedJson::parse(file.readAll());
    }();
    if (!kParsed) {
        ADD_FAILURE() << "WhatsApp test vectors missing or unparsable: " << vectorsPath().toStdString();
        return nullptr;
    }
    return &*kParsed;
}

const OrderedJson *vector(std::initializer_list<const char *> path)
{
    const OrderedJson *v = vectors();
    for (const char *key : path) {
        if (!v)
            return nullptr;
        v = v->find(QString::fromUtf8(key));
    }
    if (!v)
        ADD_FAILURE() << "test vector missing: " << pathString(path).toStdString();
    return v;
}

QByteArray vectorHex(std::initializer_list<const char *> path)
{
    const OrderedJson *v = vector(path);
    return v ? QByteArray::fromHex(v->string.toLatin1()) : QByteArray();
}

QString vectorString(std::initializer_list<const char *> path)
{
    const OrderedJson *v = vector(path);
    return v ? v->string : QString();
}

Node nodeFromJson(const OrderedJson &json)
{
    Node node;
    if (const OrderedJson *tag = json.find(u"tag"))
        node.tag = tag->string;
    if (const OrderedJson *attrs = json.find(u"attrs")) {
        for (const auto &[key, value] : attrs->object) {
            if (value.string.contains(u'@')) {
                const auto jid = Jid::parse(value.string);
                EXPECT_TRUE(jid.has_value()) << value.string.toStdString();
                node.attributes.append(Attribute{key, jid.value_or(Jid())});
            } else {
                node.attributes.append(Attribute{key, value.string});
            }
        }
    }
    if (const OrderedJson *content = json.find(u"content")) {
        if (content->type == OrderedJson::Type::Array) {
            std::vector<Node> children;
            for (const OrderedJson &child : content->array)
                children.push_back(nodeFromJson(child));
            node.content = std::move(children);
        } else if (content->type == OrderedJson::Type::String) {
            node.content = content->string.toUtf8();
        } else if (const OrderedJson *hex = content->find(u"bytes_hex")) {
            node.content = QByteArray::fromHex(hex->string.toLatin1());
        }
    }
    return node;
}

TEST(WaTestVectors, FileIsPresent)
{
    ASSERT_TRUE(QFile::exists(vectorsPath()))
        << "expected shared/whatsapp/test-vectors.json beside the repository at " << vectorsPath().toStdString();
    ASSERT_NE(vectors(), nullptr);
}

} // namespace atende::server::whatsapp::test
