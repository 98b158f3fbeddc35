// A line-driven peer around one SignalAccount, for the Baileys interop test (tests/conformance/baileys/
// signal_interop.mjs). One command per stdin line, words separated by spaces, blobs and texts in hex; one
// JSON object per stdout line. Payloads are real WhatsApp Messages built and parsed by our codec
// (message_content.h) with v="2" padding, so the test covers the whole path a connector uses.
//
//   init <own jid> <prekey count>        → {ok}
//   bundle <prekey index|none>           → {registrationId, identity, signedPreKeyId, signedPreKey, signature,
//                                            preKeyId?, preKey?}   (the <user> node fields; keys 32 bytes)
//   process <jid> <reg> <identity> <spk id> <spk> <signature> [<prekey id> <prekey>] → {ok, identityChanged}
//   encrypt <jid> <text hex> [<quoted id> <quoted participant> <quoted text hex>]  → {ok, type, hex}
//   decrypt <jid> <pkmsg|msg> <hex>      → {ok, kind, text, quote…, identityChanged, skdm?} or {ok:false, code}
//   gskdm <group>                        → {ok, hex}          our SKDM for the group
//   gencrypt <group> <text hex>          → {ok, hex}          an skmsg
//   gdecrypt <group> <sender jid> <hex>  → {ok, kind, text} or {ok:false, code}
//   restart                              → {ok}               flush, then a new account from the store
//   quit

#include "server/signal/memory_signal_store.h"
#include "server/signal/signal_account.h"
#include "server/signal/signal_context.h"
#include "server/whatsapp/message_content.h"
#include "server/whatsapp/message_padding.h"
#include "tests/support/await.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <iostream>
#include <memory>
#include <string>

namespace {

using namespace atende::server;
using namespace atende::server::signal;
using atende::core::Error;

struct Peer {
    SignalContext context;
    whatsapp::Credentials credentials;
    QList<whatsapp::PreKeyRecord> preKeys;
    std::unique_ptr<MemorySignalStore> store;
    std::unique_ptr<SignalAccount> account;
    SignalAddress self;

    void load()
    {
        auto snapshot = atende::test::await(store->load());
        account = std::make_unique<SignalAccount>(context, store.get(), credentials, std::move(snapshot.value()));
    }
};

QJsonObject failure(const QString &code, const QString &message = {})
{
    return QJsonObject{
        {QStringLiteral("ok"), false}, {QStringLiteral("code"), code}, {QStringLiteral("message"), message}};
}

QJsonObject failure(const Error &error)
{
    return failure(error.code, error.message);
}

QString hex(const QByteArray &bytes)
{
    return QString::fromLatin1(bytes.toHex());
}

QByteArray unhex(const QString &text)
{
    return QByteArray::fromHex(text.toLatin1());
}

std::optional<SignalAddress> address(const QString &jid)
{
    const auto parsed = whatsapp::Jid::parse(jid);
    return parsed ? addressForJid(*parsed) : std::nullopt;
}

QLatin1String kindName(whatsapp::MessageContent::Kind kind)
{
    using K = whatsapp::MessageContent::Kind;
    switch (kind) {
    case K::Text: return QLatin1String("text");
    case K::SenderKeyDistributionOnly: return QLatin1String("skdm");
    case K::Unknown: return QLatin1String("unknown");
    default: return QLatin1String("other");
    }
}

QJsonObject describe(const whatsapp::MessageContent &content)
{
    QJsonObject out{{QStringLiteral("ok"), true},
                    {QStringLiteral("kind"), QString(kindName(content.kind))},
                    {QStringLiteral("text"), content.text}};
    if (content.quote) {
        out[QStringLiteral("quoteId")] = content.quote->stanzaId;
        out[QStringLiteral("quoteParticipant")] = content.quote->participant;
        out[QStringLiteral("quoteText")] = content.quote->text;
    }
    return out;
}

QJsonObject init(Peer &peer, const QStringList &args)
{
    const auto self = args.size() == 3 ? address(args[1]) : std::nullopt;
    if (!self)
        return failure(QStringLiteral("usage"), QStringLiteral("init <jid> <prekey count>"));
    peer.self = *self;
    peer.credentials = whatsapp::Credentials::generate();
    for (int i = 0; i < args[2].toInt(); ++i)
        peer.preKeys.append(
            whatsapp::PreKeyRecord{peer.credentials.nextPreKeyId++, whatsapp::crypto::generateX25519KeyPair()});
    SignalSnapshot initial;
    initial.preKeys = peer.preKeys;
    peer.store = std::make_unique<MemorySignalStore>(std::move(initial));
    peer.load();
    return QJsonObject{{QStringLiteral("ok"), true}};
}

QJsonObject bundle(const Peer &peer, const QStringList &args)
{
    const whatsapp::Credentials &c = peer.credentials;
    QJsonObject out{{QStringLiteral("ok"), true},
                    {QStringLiteral("registrationId"), qint64(c.registrationId)},
                    {QStringLiteral("identity"), hex(c.identityKey.publicKey)},
                    {QStringLiteral("signedPreKeyId"), qint64(c.signedPreKey.id)},
                    {QStringLiteral("signedPreKey"), hex(c.signedPreKey.keyPair.publicKey)},
                    {QStringLiteral("signature"), hex(c.signedPreKey.signature)}};
    bool ok = false;
    const int index = args.value(1).toInt(&ok);
    if (ok && index >= 0 && index < peer.preKeys.size()) {
        out[QStringLiteral("preKeyId")] = qint64(peer.preKeys[index].id);
        out[QStringLiteral("preKey")] = hex(peer.preKeys[index].keyPair.publicKey);
    }
    return out;
}

QJsonObject process(Peer &peer, const QStringList &args)
{
    const auto to = args.size() >= 7 ? address(args[1]) : std::nullopt;
    if (!to)
        return failure(QStringLiteral("usage"), QStringLiteral("process <jid> <reg> <identity> <spk id> <spk> <sig>"));
    PreKeyBundle b;
    b.registrationId = args[2].toUInt();
    b.identityKey = unhex(args[3]);
    b.signedPreKeyId = args[4].toUInt();
    b.signedPreKey = unhex(args[5]);
    b.signedPreKeySignature = unhex(args[6]);
    if (args.size() >= 9)
        b.preKey = PreKeyBundle::OneTime{args[7].toUInt(), unhex(args[8])};
    auto result = peer.account->processPreKeyBundle(*to, b);
    if (!result)
        return failure(result.error());
    return QJsonObject{{QStringLiteral("ok"), true}, {QStringLiteral("identityChanged"), result->identityChanged}};
}

QJsonObject encrypt(Peer &peer, const QStringList &args)
{
    const auto to = args.size() >= 3 ? address(args[1]) : std::nullopt;
    if (!to)
        return failure(QStringLiteral("usage"), QStringLiteral("encrypt <jid> <text hex> [quote…]"));
    std::optional<whatsapp::OutgoingQuote> quote;
    if (args.size() >= 6)
        quote = whatsapp::OutgoingQuote{args[3], args[4], QString::fromUtf8(unhex(args[5]))};
    const QByteArray message = whatsapp::buildTextMessage(QString::fromUtf8(unhex(args[2])), quote);
    auto encrypted = peer.account->encrypt(*to, whatsapp::padMessageRandom(message));
    if (!encrypted)
        return failure(encrypted.error());
    return QJsonObject{{QStringLiteral("ok"), true},
                       {QStringLiteral("type"), QString(encTypeName(encrypted->type))},
                       {QStringLiteral("hex"), hex(encrypted->bytes)}};
}

QJsonObject decrypt(Peer &peer, const QStringList &args)
{
    const auto from = args.size() == 4 ? address(args[1]) : std::nullopt;
    const auto type = args.size() == 4 ? parseEncType(args[2]) : std::nullopt;
    if (!from || !type)
        return failure(QStringLiteral("usage"), QStringLiteral("decrypt <jid> <pkmsg|msg> <hex>"));
    auto decrypted = peer.account->decrypt(*from, *type, unhex(args[3]));
    if (!decrypted)
        return failure(decrypted.error());
    auto content = whatsapp::decodeReceived(decrypted->plaintext);
    if (!content)
        return failure(content.error());
    QJsonObject out = describe(*content);
    out[QStringLiteral("identityChanged")] = decrypted->identityChanged;
    // As the connector does (§10): an SKDM inside a DM installs the sender's key for the group.
    if (content->senderKeyDistribution) {
        const auto &skdm = *content->senderKeyDistribution;
        const auto processed =
            peer.account->processSenderKeyDistribution(skdm.groupId, *from, skdm.distributionMessage);
        out[QStringLiteral("skdm")] = processed.ok() ? QStringLiteral("processed") : processed.error().code;
    }
    return out;
}

QJsonObject group(Peer &peer, const QStringList &args)
{
    const QString &command = args[0];
    if (command == QLatin1String("gskdm") && args.size() == 2) {
        auto skdm = peer.account->createSenderKeyDistribution(args[1], peer.self);
        return skdm ? QJsonObject{{QStringLiteral("ok"), true}, {QStringLiteral("hex"), hex(*skdm)}}
                    : failure(skdm.error());
    }
    if (command == QLatin1String("gencrypt") && args.size() == 3) {
        const QByteArray message = whatsapp::buildTextMessage(QString::fromUtf8(unhex(args[2])));
        auto skmsg = peer.account->encryptGroup(args[1], peer.self, whatsapp::padMessageRandom(message));
        return skmsg ? QJsonObject{{QStringLiteral("ok"), true}, {QStringLiteral("hex"), hex(*skmsg)}}
                     : failure(skmsg.error());
    }
    const auto sender = args.size() == 4 ? address(args[2]) : std::nullopt;
    if (command != QLatin1String("gdecrypt") || !sender)
        return failure(QStringLiteral("usage"), QStringLiteral("gskdm|gencrypt|gdecrypt"));
    auto plain = peer.account->decryptGroup(args[1], *sender, unhex(args[3]));
    if (!plain)
        return failure(plain.error());
    auto content = whatsapp::decodeReceived(*plain);
    return content ? describe(*content) : failure(content.error());
}

QJsonObject dispatch(Peer &peer, const QStringList &args)
{
    const QString command = args.value(0);
    if (command == QLatin1String("init"))
        return init(peer, args);
    if (!peer.account)
        return failure(QStringLiteral("usage"), QStringLiteral("init first"));
    if (command == QLatin1String("bundle"))
        return bundle(peer, args);
    if (command == QLatin1String("process"))
        return process(peer, args);
    if (command == QLatin1String("encrypt"))
        return encrypt(peer, args);
    if (command == QLatin1String("decrypt"))
        return decrypt(peer, args);
    if (command.startsWith(u'g'))
        return group(peer, args);
    if (command == QLatin1String("restart")) {
        const auto flushed = atende::test::await(peer.account->flush());
        if (!flushed.ok())
            return failure(flushed.error());
        peer.load();
        return QJsonObject{{QStringLiteral("ok"), true}};
    }
    return failure(QStringLiteral("usage"), QStringLiteral("unknown command"));
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    Peer peer;
    std::string line;
    while (std::getline(std::cin, line)) {
        const QStringList args = QString::fromStdString(line).split(u' ', Qt::SkipEmptyParts);
        if (args.value(0) == QLatin1String("quit"))
            break;
        const QJsonObject reply = dispatch(peer, args);
        std::cout << QJsonDocument(reply).toJson(QJsonDocument::Compact).toStdString() << std::endl;
    }
    return 0;
}
