#pragma once
// A WhatsApp binary node (PROTOCOL.md §4): a tag, ordered attributes and optional content, which is either
// raw bytes or a list of child nodes. Attribute order carries no meaning on the wire, but it is kept so
// that encoding is deterministic and byte-exact tests are possible.

#include "server/whatsapp/jid.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <variant>
#include <vector>

namespace atende::server::whatsapp {

using AttributeValue = std::variant<QString, Jid>;

struct Attribute {
    QString key;
    AttributeValue value;
    bool operator==(const Attribute &) const = default;
};

struct Node {
    QString tag;
    QList<Attribute> attributes;
    // std::monostate = no content. Text content (rare) is carried as UTF-8 bytes.
    std::variant<std::monostate, QByteArray, std::vector<Node>> content;

    Node() = default;
    explicit Node(QString tag, QList<Attribute> attributes = {});
    Node(QString tag, QList<Attribute> attributes, QByteArray bytes);
    Node(QString tag, QList<Attribute> attributes, std::vector<Node> children);

    // Replaces the value of an existing attribute or appends a new one.
    Node &setAttribute(const QString &key, AttributeValue value);
    const AttributeValue *attribute(QStringView key) const;
    // The attribute as text (a JID in its string form); empty if absent.
    QString attributeString(QStringView key) const;
    // The attribute as a JID: a JID value, or a string that parses as one.
    std::optional<Jid> attributeJid(QStringView key) const;

    bool hasChildren() const { return std::holds_alternative<std::vector<Node>>(content); }
    bool hasBytes() const { return std::holds_alternative<QByteArray>(content); }
    const std::vector<Node> &children() const;
    QByteArray bytes() const;
    // First child with the given tag, or nullptr.
    const Node *child(QStringView childTag) const;

    // Tag, attribute keys and content shape only: safe for logs (no values, no bytes).
    QString describe() const;

    bool operator==(const Node &other) const;
};

} // namespace atende::server::whatsapp
