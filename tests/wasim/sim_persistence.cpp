// --state-dir: users and linked devices survive a restart of the simulator, so a paired client logs in
// again without a new QR. The seed (CA, server static and phone keys) is kept there too, so the trust root
// stays the same. Each device's outbox (owed messages, receipts, notifications) is kept as well, as binary
// nodes, so that queued stanzas survive a restart. One JSON file, rewritten (atomically) shortly after
// each change.
#include "server/whatsapp/binary_decoder.h"
#include "server/whatsapp/binary_encoder.h"
#include "tests/wasim/simulator.h"
#include "tests/wasim/wasim_logging.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>
#include <QTimer>

namespace atende::wasim {

using namespace server::whatsapp;

namespace {

QString hex(const QByteArray &b)
{
    return QString::fromLatin1(b.toHex());
}
QByteArray unhex(const QJsonValue &v)
{
    return QByteArray::fromHex(v.toString().toLatin1());
}

} // namespace

SimulatorOptions Simulator::withStateSeed(SimulatorOptions options)
{
    if (options.stateDir.isEmpty() || !options.seed.isEmpty())
        return options;
    QDir().mkpath(options.stateDir);
    QFile file(options.stateDir + QStringLiteral("/seed"));
    if (file.open(QIODevice::ReadOnly))
        options.seed = file.readAll().trimmed();
    if (options.seed.isEmpty()) {
        options.seed = crypto::randomBytes(16).toHex();
        QSaveFile out(file.fileName());
        if (out.open(QIODevice::WriteOnly)) {
            out.write(options.seed);
            out.commit();
        }
    }
    return options;
}

void Simulator::markDirty()
{
    if (m_options.stateDir.isEmpty() || m_saveScheduled)
        return;
    m_saveScheduled = true;
    QTimer::singleShot(100, this, [this] { saveState(); });
}

void Simulator::saveState()
{
    m_saveScheduled = false;
    if (m_options.stateDir.isEmpty())
        return;
    QJsonArray users;
    for (const QString &phone : std::as_const(m_userOrder)) {
        const SimUser &u = m_users.at(phone);
        users.append(QJsonObject{{QStringLiteral("phone"), u.phone},
                                 {QStringLiteral("push_name"), u.pushName},
                                 {QStringLiteral("lid"), u.lid},
                                 {QStringLiteral("account_private"), hex(u.account.privateKey)},
                                 {QStringLiteral("account_public"), hex(u.account.publicKey)},
                                 {QStringLiteral("raw_id"), qint64(u.rawId)},
                                 {QStringLiteral("next_device"), int(u.nextDevice)},
                                 {QStringLiteral("next_key_index"), qint64(u.nextKeyIndex)}});
    }
    QJsonArray devices;
    for (const auto &[key, d] : m_devices) {
        QJsonObject preKeys;
        for (const auto &[id, value] : d.preKeys)
            preKeys.insert(QString::number(id), hex(value));
        QJsonArray outbox;
        for (const OutboxEntry &e : d.outbox)
            if (auto bytes = BinaryEncoder::encodeNode(e.stanza))
                outbox.append(
                    QJsonObject{{QStringLiteral("node"), hex(*bytes)}, {QStringLiteral("queued_at"), e.queuedAt}});
        devices.append(QJsonObject{{QStringLiteral("phone"), d.phone},
                                   {QStringLiteral("device"), int(d.device)},
                                   {QStringLiteral("key_index"), qint64(d.keyIndex)},
                                   {QStringLiteral("noise_key"), hex(d.noiseKey)},
                                   {QStringLiteral("identity_key"), hex(d.identityKey)},
                                   {QStringLiteral("registration_id"), qint64(d.registrationId)},
                                   {QStringLiteral("signed_prekey_id"), qint64(d.signedPreKeyId)},
                                   {QStringLiteral("signed_prekey"), hex(d.signedPreKey)},
                                   {QStringLiteral("signed_prekey_signature"), hex(d.signedPreKeySignature)},
                                   {QStringLiteral("prekeys"), preKeys},
                                   {QStringLiteral("account"), hex(d.account)},
                                   {QStringLiteral("platform"), d.platform},
                                   {QStringLiteral("push_name"), d.pushName},
                                   {QStringLiteral("outbox"), outbox}});
    }
    QSaveFile file(m_options.stateDir + QStringLiteral("/state.json"));
    if (!file.open(QIODevice::WriteOnly)) {
        qCWarning(lcWasim) << "cannot write the state file:" << file.errorString();
        return;
    }
    file.write(QJsonDocument(QJsonObject{{QStringLiteral("users"), users}, {QStringLiteral("devices"), devices}})
                   .toJson(QJsonDocument::Compact));
    if (!file.commit())
        qCWarning(lcWasim) << "cannot write the state file:" << file.errorString();
}

void Simulator::loadState()
{
    QFile file(m_options.stateDir + QStringLiteral("/state.json"));
    if (m_options.stateDir.isEmpty() || !file.open(QIODevice::ReadOnly))
        return;
    const QJsonObject root = QJsonDocument::fromJson(file.readAll()).object();
    for (const QJsonValue &v : root.value(u"users").toArray()) {
        const QJsonObject o = v.toObject();
        SimUser u;
        u.phone = o.value(u"phone").toString();
        u.pushName = o.value(u"push_name").toString();
        u.lid = o.value(u"lid").toString();
        u.account = {unhex(o.value(u"account_private")), unhex(o.value(u"account_public"))};
        u.rawId = quint32(o.value(u"raw_id").toInteger());
        u.nextDevice = quint16(o.value(u"next_device").toInt(1));
        u.nextKeyIndex = quint32(o.value(u"next_key_index").toInteger(1));
        if (u.phone.isEmpty() || u.account.publicKey.size() != 32 || m_users.count(u.phone))
            continue;
        m_users[u.phone] = u;
        m_userOrder.append(u.phone);
    }
    for (const QJsonValue &v : root.value(u"devices").toArray()) {
        const QJsonObject o = v.toObject();
        SimDevice d;
        d.phone = o.value(u"phone").toString();
        d.device = quint16(o.value(u"device").toInt());
        d.keyIndex = quint32(o.value(u"key_index").toInteger());
        d.noiseKey = unhex(o.value(u"noise_key"));
        d.identityKey = unhex(o.value(u"identity_key"));
        d.registrationId = quint32(o.value(u"registration_id").toInteger());
        d.signedPreKeyId = quint32(o.value(u"signed_prekey_id").toInteger());
        d.signedPreKey = unhex(o.value(u"signed_prekey"));
        d.signedPreKeySignature = unhex(o.value(u"signed_prekey_signature"));
        const QJsonObject preKeys = o.value(u"prekeys").toObject();
        for (auto it = preKeys.begin(); it != preKeys.end(); ++it)
            d.preKeys[it.key().toUInt()] = unhex(it.value());
        d.account = unhex(o.value(u"account"));
        d.platform = o.value(u"platform").toString();
        d.pushName = o.value(u"push_name").toString();
        for (const QJsonValue &entry : o.value(u"outbox").toArray()) {
            auto node = BinaryDecoder::decodeNode(unhex(entry.toObject().value(u"node")));
            if (node)
                d.outbox.push_back(
                    OutboxEntry{std::move(node).value(), 0, entry.toObject().value(u"queued_at").toInteger()});
        }
        if (!m_users.count(d.phone) || d.device == 0 || d.noiseKey.size() != 32)
            continue;
        m_devices[d.key()] = std::move(d);
    }
    qCInfo(lcWasim) << "state loaded:" << m_users.size() << "users," << m_devices.size() << "devices";
}

} // namespace atende::wasim
