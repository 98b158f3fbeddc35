#include "server/whatsapp/node.h"

namespace atende::server::whatsapp {

Node::Node(QString tag, QList<Attribute> attributes)
    : tag(std::move(tag))
    , attributes(std::move(attributes))
{}

Node::Node(QString tag, QList<Attribute> attributes, QByteArray bytes)
    : tag(std::move(tag))
    , attributes(std::move(attributes))
    , content(std::move(bytes))
{}

Node::Node(QString tag, QList<Attribute> attributes, std::vector<Node> children)
    : tag(std::move(tag))
    , attributes(std::move(attributes))
    , content(std::move(children))
{}

Node &Node::setAttribute(const QString &key, AttributeValue value)
{
    for (Attribute &a : attributes) {
        if (a.key == key) {
            a.value = std::move(value);
            return *this;
        }
    }
    attributes.append(Attribute{key, std::move(value)});
    return *this;
}

const AttributeValue *Node::attribute(QStringView key) const
{
    for (const Attribute &a : attributes) {
        if (a.key == key)
            return &a.value;
    }
    return nullptr;
}

QString Node::attributeString(QStringView key) const
{
    const AttributeValue *v = attribute(key);
    if (!v)
        return {};
    if (const auto *s = std::get_if<QString>(v))
        return *s;
    return std::get<Jid>(*v).toString();
}

std::optional<Jid> Node::attributeJid(QStringView key) const
{
    const AttributeValue *v = attribute(key);
    if (!v)
        return std::nullopt;
    if (const auto *j = std::get_if<Jid>(v))
        return *j;
    return Jid::parse(std::get<QString>(*v));
}

const std::vector<Node> &Node::children() const
{
    static const std::vector<Node> kNone;
    if (const auto *c = std::get_if<std::vector<Node>>(&content))
        return *c;
    return kNone;
}

QByteArray Node::bytes() const
{
    if (const auto *b = std::get_if<QByteArray>(&content))
        return *b;
    return {};
}

const Node *Node::child(QStringView childTag) const
{
    for (const Node &c : children()) {
        if (c.tag == childTag)
            return &c;
    }
    return nullptr;
}

QString Node::describe() const
{
    QString out = u'<' + tag;
    for (const Attribute &a : attributes)
        out += u' ' + a.key;
    if (const auto *b = std::get_if<QByteArray>(&content))
        return out + QStringLiteral(">bytes(%1)</%2>").arg(b->size()).arg(tag);
    if (const auto *c = std::get_if<std::vector<Node>>(&content)) {
        out += u'>';
        for (const Node &n : *c)
            out += n.describe();
        return out + QStringLiteral("</") + tag + u'>';
    }
    return out + QStringLiteral("/>");
}

bool Node::operator==(const Node &other) const
{
    return tag == other.tag && attributes == other.attributes && content == other.content;
}

} // namespace atende::server::whatsapp
