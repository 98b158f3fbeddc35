// Registration and linking (PROTOCOL.md §3.3, §5, §12.1 items 3-4): pair-device refs, the phone's side of
// a QR scan (pair-success with the account signature and the HMAC keyed by the QR's adv secret), the
// pair-device-sign check, and then 515.
#include "server/whatsapp/adv_identity.h"
#include "server/whatsapp/curve_signature.h"
#include "server/whatsapp/proto/wa_adv.pb.h"
#include "server/whatsapp/proto/wa_client_payload.pb.h"
#include "tests/wasim/connection.h"
#include "tests/wasim/simulator.h"
#include "tests/wasim/wasim_logging.h"

namespace atende::wasim {

using namespace server::whatsapp;
using core::Error;

namespace {

QByteArray bytes(const std::string &s)
{
    return QByteArray::fromStdString(s);
}
std::string toStd(QByteArrayView b)
{
    return std::string(b.data(), size_t(b.size()));
}
quint32 bigEndian(const std::string &s)
{
    quint32 v = 0;
    for (char c : s)
        v = (v << 8) | quint8(c);
    return v;
}
Attribute attr(const char *key, AttributeValue value)
{
    return Attribute{QString::fromLatin1(key), std::move(value)};
}

} // namespace

void Simulator::beginRegistration(Connection &connection, const proto::ClientPayload &payload)
{
    const auto &data = payload.device_pairing_data();
    if (data.e_regid().size() != 4 || data.e_keytype() != std::string(1, '\x05') || data.e_ident().size() != 32 ||
        data.e_skey_id().size() != 3 || data.e_skey_val().size() != 32 || data.e_skey_sig().size() != 64) {
        connection.send(Node(QStringLiteral("failure"), {attr("reason", QStringLiteral("400"))}));
        connection.close(QStringLiteral("registration data has wrong sizes"));
        return;
    }
    QByteArray signedMessage(1, '\x05');
    signedMessage.append(bytes(data.e_skey_val()));
    if (!verifyCurveSignature(bytes(data.e_ident()), signedMessage, bytes(data.e_skey_sig()))) {
        record(QStringLiteral("registration_rejected signed_prekey_signature"));
        connection.send(Node(QStringLiteral("failure"), {attr("reason", QStringLiteral("400"))}));
        connection.close(QStringLiteral("signed prekey signature invalid"));
        return;
    }
    auto state = std::make_unique<RegistrationState>();
    state->identityKey = bytes(data.e_ident());
    state->registrationId = bigEndian(data.e_regid());
    state->signedPreKeyId = bigEndian(data.e_skey_id());
    state->signedPreKey = bytes(data.e_skey_val());
    state->signedPreKeySignature = bytes(data.e_skey_sig());
    proto::DeviceProps props;
    if (props.ParseFromString(data.device_props()))
        state->platform = QString::fromStdString(props.os());
    state->pushName = QString::fromStdString(payload.push_name());

    std::vector<Node> refs;
    for (int i = 0; i < qMax(1, m_options.pairRefs); ++i) {
        const QString ref = QStringLiteral("2@") + QString::fromLatin1(crypto::randomBytes(24).toBase64());
        state->refs.append(ref);
        refs.emplace_back(QStringLiteral("ref"), QList<Attribute>{}, ref.toUtf8());
    }
    state->pairDeviceIqId = nextId();
    Node iq(QStringLiteral("iq"),
            {attr("from", Jid::serverJid()), attr("type", QStringLiteral("set")), attr("id", state->pairDeviceIqId),
             attr("xmlns", QStringLiteral("md"))},
            std::vector<Node>{Node(QStringLiteral("pair-device"), {}, std::move(refs))});
    connection.beginRegistration(std::move(state));
    record(QStringLiteral("registration %1").arg(connection.id()));
    connection.send(iq);
}

core::Result<QString> Simulator::scan(const QString &qrText, const ScanOptions &options)
{
    static const QString prefix = QStringLiteral("https://wa.me/settings/linked_devices#");
    const QString text = qrText.trimmed();
    if (!text.startsWith(prefix))
        return Error::make("wasim_qr_malformed", QStringLiteral("not a linked-devices QR text"));
    const QStringList parts = text.mid(prefix.size()).split(u',');
    if (parts.size() != 5)
        return Error::make("wasim_qr_malformed", QStringLiteral("QR text must have 5 comma-separated fields"));
    const QByteArray noise = QByteArray::fromBase64(parts[1].toLatin1());
    const QByteArray identity = QByteArray::fromBase64(parts[2].toLatin1());
    const QByteArray advSecret = QByteArray::fromBase64(parts[3].toLatin1());
    if (noise.size() != 32 || identity.size() != 32 || advSecret.size() != 32)
        return Error::make("wasim_qr_malformed", QStringLiteral("QR keys must be 32 bytes each"));

    Connection *target = nullptr;
    for (Connection *c : std::as_const(m_connections))
        if (c->phase() == Connection::Phase::Registration && c->registration() &&
            c->registration()->refs.contains(parts[0]))
            target = c;
    if (!target)
        return Error::make("wasim_qr_unknown_ref", QStringLiteral("no open registration connection issued this ref"));
    RegistrationState &reg = *target->registration();
    if (noise != target->clientStaticKey() || identity != reg.identityKey)
        return Error::make("wasim_qr_key_mismatch", QStringLiteral("QR keys differ from the registration's"));
    if (!reg.pairSuccessIqId.isEmpty())
        return Error::make("wasim_pairing_in_progress", QStringLiteral("this companion is already being linked"));
    SimUser *user = userFor(options.phone, true);
    if (!user)
        return Error::make("wasim_unknown_user", QStringLiteral("no simulated user with this phone number"));
    if (core::Status s = sendPairSuccess(*target, *user, advSecret, options); !s)
        return s.error();
    return pnJid(user->phone, reg.device);
}

core::Status Simulator::sendPairSuccess(Connection &connection, SimUser &user, const QByteArray &advSecret,
                                        const ScanOptions &options)
{
    RegistrationState &reg = *connection.registration();
    reg.phone = user.phone;
    reg.device = user.nextDevice++;
    reg.keyIndex = user.nextKeyIndex++;

    proto::ADVDeviceIdentity details;
    details.set_raw_id(user.rawId);
    details.set_timestamp(quint64(now()));
    details.set_key_index(reg.keyIndex);
    reg.details = bytes(details.SerializeAsString());
    auto signature =
        m_signer.sign(user.account.privateKey, adv::accountSignatureMessage(reg.details, reg.identityKey, false));
    if (!signature)
        return signature.error();
    reg.accountSignature = *signature;
    QByteArray sentSignature = *signature;
    if (options.badAccountSignature)
        sentSignature[10] = char(sentSignature[10] ^ 0x40);

    proto::ADVSignedDeviceIdentity identity;
    identity.set_details(toStd(reg.details));
    identity.set_account_signature_key(toStd(user.account.publicKey));
    identity.set_account_signature(toStd(sentSignature));
    const QByteArray identityBytes = bytes(identity.SerializeAsString());
    QByteArray hmac = adv::identityHmac(identityBytes, advSecret, proto::E2EE);
    if (options.badHmac)
        hmac[0] = char(hmac[0] ^ 0x01);
    proto::ADVSignedDeviceIdentityHMAC container;
    container.set_details(toStd(identityBytes));
    container.set_hmac(toStd(hmac));

    reg.pairSuccessIqId = nextId();
    std::vector<Node> children;
    children.emplace_back(QStringLiteral("device-identity"), QList<Attribute>{}, bytes(container.SerializeAsString()));
    children.emplace_back(QStringLiteral("platform"), QList<Attribute>{attr("name", QStringLiteral("android"))});
    children.emplace_back(QStringLiteral("device"),
                          QList<Attribute>{attr("jid", Jid::make(user.phone, QString(Jid::kUserServer), reg.device)),
                                           attr("lid", Jid::make(user.lid, QString(Jid::kLidServer), reg.device))});
    connection.send(Node(QStringLiteral("iq"),
                         {attr("from", Jid::serverJid()), attr("type", QStringLiteral("set")),
                          attr("id", reg.pairSuccessIqId), attr("t", QString::number(now()))},
                         std::vector<Node>{Node(QStringLiteral("pair-success"), {}, std::move(children))}));
    record(QStringLiteral("pair_success_sent %1:%2").arg(user.phone).arg(reg.device));
    return {};
}

void Simulator::onPairDeviceSign(Connection &connection, const Node &iq)
{
    RegistrationState &reg = *connection.registration();
    reg.pairSuccessIqId.clear();
    auto fail = [&](const QString &why) {
        record(QStringLiteral("pair_failed %1").arg(why));
        Q_EMIT pairingFailed(why);
    };
    if (iq.attributeString(u"type") == u"error") {
        const Node *error = iq.child(u"error");
        fail(QStringLiteral("client_error %1 %2")
                 .arg(error ? error->attributeString(u"code") : QString(),
                      error ? error->attributeString(u"text") : QString()));
        return;
    }
    const Node *sign = iq.child(u"pair-device-sign");
    const Node *identityNode = sign ? sign->child(u"device-identity") : nullptr;
    proto::ADVSignedDeviceIdentity identity;
    if (!identityNode || !identityNode->hasBytes() || !identity.ParseFromString(toStd(identityNode->bytes()))) {
        fail(QStringLiteral("malformed_pair_device_sign"));
        connection.close(QStringLiteral("malformed pair-device-sign"));
        return;
    }
    const SimUser &user = m_users.at(reg.phone);
    const QByteArray details = bytes(identity.details());
    if (details != reg.details || identityNode->attributeString(u"key-index") != QString::number(reg.keyIndex)) {
        fail(QStringLiteral("details_or_key_index_mismatch"));
        connection.close(QStringLiteral("pair-device-sign does not match pair-success"));
        return;
    }
    if (!verifyCurveSignature(reg.identityKey,
                              adv::deviceSignatureMessage(details, reg.identityKey, user.account.publicKey),
                              bytes(identity.device_signature()))) {
        fail(QStringLiteral("device_signature_invalid"));
        connection.close(QStringLiteral("device signature invalid"));
        return;
    }
    SimDevice device;
    device.phone = reg.phone;
    device.device = reg.device;
    device.keyIndex = reg.keyIndex;
    device.noiseKey = connection.clientStaticKey();
    device.identityKey = reg.identityKey;
    device.registrationId = reg.registrationId;
    device.signedPreKeyId = reg.signedPreKeyId;
    device.signedPreKey = reg.signedPreKey;
    device.signedPreKeySignature = reg.signedPreKeySignature;
    device.platform = reg.platform;
    device.pushName = reg.pushName;
    identity.set_account_signature_key(toStd(user.account.publicKey));
    identity.set_account_signature(toStd(reg.accountSignature));
    device.account = bytes(identity.SerializeAsString());
    const QString key = device.key();
    m_devices[key] = std::move(device);
    record(QStringLiteral("linked %1").arg(key));
    Q_EMIT deviceLinked(key);
    connection.streamErrorAndClose(Node(QStringLiteral("stream:error"), {attr("code", QStringLiteral("515"))}),
                                   QStringLiteral("paired, restart required"));
}

} // namespace atende::wasim
