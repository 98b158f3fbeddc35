#include "server/whatsapp/receipt_stanza.h"

#include "server/whatsapp/stanza_util.h"

namespace atende::server::whatsapp {

using namespace stanza;

namespace {

constexpr qsizetype kMaxId = 128;
constexpr qsizetype kMaxListItems = 1000;

Node receiptNode(const OutgoingReceipt &r, const QString &type)
{
    Node n(QStringLiteral("receipt"), {{QStringLiteral("id"), r.id}, {QStringLiteral("to"), r.to}});
    if (r.participant)
        n.setAttribute(QStringLiteral("participant"), *r.participant);
    if (r.recipient)
        n.setAttribute(QStringLiteral("recipient"), *r.recipient);
    if (!type.isEmpty())
        n.setAttribute(QStringLiteral("type"), type);
    if (r.timestamp > 0)
        n.setAttribute(QStringLiteral("t"), QString::number(r.timestamp));
    if (!r.category.isEmpty())
        n.setAttribute(QStringLiteral("category"), r.category);
    return n;
}

std::optional<core::Error> checkBase(const OutgoingReceipt &r)
{
    if (r.id.isEmpty() || r.id.size() > kMaxId)
        return fail(errc::kStanzaInvalidInput, QStringLiteral("receipt id must be 1..128 characters"));
    if (r.to.user.isEmpty() || r.to.server.isEmpty())
        return fail(errc::kStanzaInvalidInput, QStringLiteral("receipt needs a to"));
    return std::nullopt;
}

} // namespace

core::Result<Node> buildReceipt(const OutgoingReceipt &r)
{
    if (auto e = checkBase(r))
        return *e;
    if (r.type == u"retry")
        return fail(errc::kStanzaInvalidInput, QStringLiteral("retry receipts are built by buildRetryReceipt"));
    Node n = receiptNode(r, r.type);
    if (!r.moreIds.isEmpty()) {
        std::vector<Node> items;
        for (const QString &id : r.moreIds) {
            if (id.isEmpty())
                return fail(errc::kStanzaInvalidInput, QStringLiteral("empty id in the receipt list"));
            items.emplace_back(QStringLiteral("item"), QList<Attribute>{{QStringLiteral("id"), id}});
        }
        n.content = std::vector<Node>{Node(QStringLiteral("list"), {}, std::move(items))};
    }
    return n;
}

core::Result<Node> buildRetryReceipt(const RetryReceipt &retry)
{
    if (auto e = checkBase(retry.base))
        return *e;
    if (retry.count < 1 || retry.count > 10)
        return fail(errc::kStanzaInvalidInput, QStringLiteral("retry count must be 1..10"));
    if (retry.keys && retry.deviceIdentity.isEmpty())
        return fail(errc::kStanzaInvalidInput, QStringLiteral("retry keys need the device identity"));
    Node n = receiptNode(retry.base, QStringLiteral("retry"));
    std::vector<Node> children{
        Node(QStringLiteral("retry"), {{QStringLiteral("count"), QString::number(retry.count)},
                                       {QStringLiteral("id"), retry.base.id},
                                       {QStringLiteral("t"), QString::number(retry.messageTimestamp)},
                                       {QStringLiteral("v"), QStringLiteral("1")}}),
        bytesNode("registration", bigEndian(retry.registrationId, 4))};
    if (retry.keys) {
        std::vector<Node> keys = preKeyBundleChildren(*retry.keys, false);
        keys.push_back(bytesNode("device-identity", retry.deviceIdentity));
        children.emplace_back(QStringLiteral("keys"), QList<Attribute>{}, std::move(keys));
    }
    n.content = std::move(children);
    return n;
}

core::Result<Node> buildClientAck(const Node &stanza, int errorCode)
{
    const QString id = stanza.attributeString(u"id");
    const AttributeValue *from = stanza.attribute(u"from");
    if (id.isEmpty() || !from)
        return fail(errc::kStanzaMissingAttribute, QStringLiteral("stanza without id or from"));
    Node ack(QStringLiteral("ack"),
             {{QStringLiteral("id"), id}, {QStringLiteral("to"), *from}, {QStringLiteral("class"), stanza.tag}});
    for (const auto key : {u"participant", u"recipient"})
        if (const auto *value = stanza.attribute(key))
            ack.setAttribute(QString::fromUtf16(key), *value);
    if (const auto *type = stanza.attribute(u"type"); type && stanza.tag != u"message")
        ack.setAttribute(QStringLiteral("type"), *type);
    if (errorCode != 0)
        ack.setAttribute(QStringLiteral("error"), QString::number(errorCode));
    return ack;
}

core::Result<IncomingReceipt> parseReceiptStanza(const Node &node)
{
    if (node.tag != u"receipt")
        return fail(errc::kStanzaWrongTag, QStringLiteral("expected a receipt"));
    IncomingReceipt r;
    r.id = node.attributeString(u"id");
    if (r.id.isEmpty() || r.id.size() > kMaxId)
        return fail(errc::kStanzaMissingAttribute, QStringLiteral("receipt without a valid id"));
    const auto from = node.attributeJid(u"from");
    if (!from || from->server.isEmpty())
        return fail(errc::kStanzaBadJid, QStringLiteral("receipt without a valid from"));
    r.from = *from;
    if (node.attribute(u"t")) {
        const auto t = decimal(node.attributeString(u"t"));
        if (!t)
            return fail(errc::kStanzaBadNumber, QStringLiteral("receipt t must be a unix time"));
        r.timestamp = *t;
    }
    r.type = node.attributeString(u"type");
    r.offline = node.attribute(u"offline") != nullptr;
    for (const auto &[key, target] :
         {std::pair{u"participant", &r.participant}, std::pair{u"recipient", &r.recipient}}) {
        if (!node.attribute(key))
            continue;
        const auto jid = node.attributeJid(key);
        if (!jid)
            return fail(errc::kStanzaBadJid, QStringLiteral("receipt %1 is not a JID").arg(QString::fromUtf16(key)));
        *target = *jid;
    }
    r.ids.append(r.id);
    if (const Node *list = node.child(u"list"); list && list->hasChildren()) {
        for (const Node &item : list->children()) {
            if (item.tag != u"item")
                continue;
            const QString id = item.attributeString(u"id");
            if (id.isEmpty() || id.size() > kMaxId || r.ids.size() >= kMaxListItems)
                return fail(errc::kStanzaBadChild, QStringLiteral("receipt list item without a valid id"));
            r.ids.append(id);
        }
    }
    if (r.type != u"retry")
        return r;

    const Node *retryNode = node.child(u"retry");
    if (!retryNode)
        return fail(errc::kStanzaBadChild, QStringLiteral("retry receipt without <retry>"));
    IncomingRetry retry;
    const auto count = decimal(retryNode->attributeString(u"count"));
    const auto t = decimal(retryNode->attributeString(u"t"));
    if (!count || *count < 1 || *count > 1000 || !t)
        return fail(errc::kStanzaBadNumber, QStringLiteral("retry count and t must be numbers"));
    retry.count = int(*count);
    retry.timestamp = *t;
    retry.id = retryNode->attributeString(u"id");
    retry.version = retryNode->attributeString(u"v");
    const Node *registration = node.child(u"registration");
    const auto registrationId = registration ? fromBigEndian(registration->bytes(), 4) : std::nullopt;
    if (!registrationId)
        return fail(errc::kStanzaBadChild, QStringLiteral("retry receipt registration must be 4 bytes"));
    retry.registrationId = *registrationId;
    if (const Node *keys = node.child(u"keys")) {
        auto bundle = parsePreKeyBundle(*keys, false);
        if (!bundle)
            return bundle.error();
        bundle->registrationId = retry.registrationId;
        bundle->device = r.from;
        retry.keys = std::move(bundle).value();
        if (const Node *identity = keys->child(u"device-identity"))
            retry.deviceIdentity = identity->bytes();
    }
    r.retry = std::move(retry);
    return r;
}

core::Result<ServerAck> parseServerAck(const Node &node)
{
    if (node.tag != u"ack")
        return fail(errc::kStanzaWrongTag, QStringLiteral("expected an ack"));
    ServerAck a;
    a.cls = node.attributeString(u"class");
    a.id = node.attributeString(u"id");
    if (a.cls.isEmpty() || a.id.isEmpty())
        return fail(errc::kStanzaMissingAttribute, QStringLiteral("ack without class or id"));
    if (node.attribute(u"from")) {
        const auto from = node.attributeJid(u"from");
        if (!from)
            return fail(errc::kStanzaBadJid, QStringLiteral("ack from is not a JID"));
        a.from = *from;
    }
    if (node.attribute(u"t")) {
        const auto t = decimal(node.attributeString(u"t"));
        if (!t)
            return fail(errc::kStanzaBadNumber, QStringLiteral("ack t must be a unix time"));
        a.timestamp = *t;
    }
    if (node.attribute(u"error")) {
        const auto error = decimal(node.attributeString(u"error"));
        if (!error || *error > 99999)
            return fail(errc::kStanzaBadNumber, QStringLiteral("ack error must be a number"));
        a.error = int(*error);
    }
    a.phash = node.attributeString(u"phash");
    return a;
}

} // namespace atende::server::whatsapp
