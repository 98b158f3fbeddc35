// Linking this device (PROTOCOL.md §5): QR refs with their rotation, pair-success (verify, sign, store,
// reply) and linking by phone-number code.
#include "server/whatsapp/adv_identity.h"
#include "server/whatsapp/curve_signature.h"
#include "server/whatsapp/error_codes.h"
#include "server/whatsapp/logging.h"
#include "server/whatsapp/pairing_code.h"
#include "server/whatsapp/pairing_qr.h"
#include "server/whatsapp/session_private.h"
#include "server/whatsapp/session_reasons.h"

namespace atende::server::whatsapp {

namespace {

QByteArray childBytes(const Node *parent, QStringView tag)
{
    const Node *child = parent ? parent->child(tag) : nullptr;
    return child ? child->bytes() : QByteArray();
}

Node bytesNode(const QString &tag, QByteArray bytes)
{
    return Node(tag, {}, std::move(bytes));
}

} // namespace

void Session::Private::onPairDevice(const Node &iq)
{
    Node result(QStringLiteral("iq"), {{QStringLiteral("to"), iq.attributeJid(u"from").value_or(Jid::serverJid())},
                                       {QStringLiteral("type"), QStringLiteral("result")},
                                       {QStringLiteral("id"), iq.attributeString(u"id")}});
    if (auto sent = sendNode(result); !sent)
        return;
    qrRefs.clear();
    for (const Node &child : iq.child(u"pair-device")->children()) {
        if (child.tag == QLatin1String("ref") && child.hasBytes())
            qrRefs.append(QString::fromUtf8(child.bytes()));
    }
    qrIndex = 0;
    consecutiveFailures = 0; // the registration connection is up: the network works
    setState(SessionState::AwaitingQr, QString(reason::kQrShown));
    showNextQr();
}

void Session::Private::showNextQr()
{
    if (codePairing)
        return; // linking by code: the QR is no longer shown
    if (qrIndex >= qrRefs.size()) {
        // Stop here: a new registration would show new codes to nobody (start() again to retry).
        closeWith(QString(reason::kQrRefsExhausted));
        return;
    }
    const auto validity = qrIndex == 0 ? config.qrFirstRefValidity : config.qrNextRefValidity;
    const QString text = pairingQrText(qrRefs.at(qrIndex).toUtf8(), credentials.noiseKey.publicKey,
                                       credentials.identityKey.publicKey, credentials.advSecret);
    ++qrIndex;
    qrTimer.start(validity);
    Q_EMIT q->qrCodeChanged(text, qint64(validity.count()));
}

QCoro::Task<> Session::Private::onPairSuccess(Node iq)
{
    const SessionGuard g = guard();
    const std::shared_ptr<SessionLife> lifeToken = life;
    const QString id = iq.attributeString(u"id");
    const Node *success = iq.child(u"pair-success");
    qrTimer.stop();
    codePairing.reset();
    setState(SessionState::Pairing, QString(reason::kPairSuccess));
    bool numeric = false;
    if (const qint64 serverTime = iq.attributeString(u"t").toLongLong(&numeric); numeric)
        serverClockOffsetSecs = serverTime - now().toSecsSinceEpoch();

    const Node *device = success->child(u"device");
    const auto jid = device ? device->attributeJid(u"jid") : std::nullopt;
    auto paired = adv::verifyPairSuccess(childBytes(success, u"device-identity"), credentials.advSecret,
                                         credentials.identityKey.publicKey);
    core::Status signedStatus;
    if (paired && jid && !jid->user.isEmpty()) {
        const CurveSigner signer; // only while pairing: no libsignal context is kept per session
        signedStatus =
            adv::signDevice(*paired, credentials.identityKey.privateKey, credentials.identityKey.publicKey, signer);
    }
    if (!paired || !jid || jid->user.isEmpty() || !signedStatus) {
        const core::Error error = !paired ? paired.error()
                                  : !signedStatus
                                      ? signedStatus.error()
                                      : core::Error::make(errc::kAdvMalformed, QStringLiteral("no device JID"));
        qCWarning(lcWhatsApp).noquote() << "pair-success rejected:" << error.code;
        (void)sendNode(adv::pairErrorReply(id, error));
        closeWith(QString(reason::kPairingRejected));
        co_return;
    }

    Credentials updated = credentials;
    updated.jid = *jid;
    updated.lid = device->attributeJid(u"lid");
    const std::string account = paired->identity.SerializeAsString();
    updated.account = QByteArray(account.data(), qsizetype(account.size()));
    if (const Node *platform = success->child(u"platform"))
        updated.platform = platform->attributeString(u"name");
    if (const Node *biz = success->child(u"biz"))
        updated.businessName = biz->attributeString(u"name");

    // The account must be durable before the phone is told we are linked (session_store.h).
    auto saving = store.saveCredentials(updated);
    const core::Status saved = co_await saving;
    if (!lifeToken->alive)
        co_return;
    if (!saved) {
        qCWarning(lcWhatsApp).noquote() << "storing the paired account failed:" << saved.error().code;
        if (g.valid()) {
            (void)sendNode(adv::pairErrorReply(id, core::Error::make(core::errc::kInternal, {})));
            closeWith(QString(reason::kStoreFailed));
        }
        co_return;
    }
    credentials = updated;
    if (!g.valid())
        co_return; // stored but the connection is gone: the next start logs in (or is refused)
    (void)sendNode(
        adv::pairDeviceSignReply(id, adv::replyIdentityBytes(paired->identity), paired->details.key_index()));
    qCInfo(lcWhatsApp) << "paired; waiting for the server to restart the stream";
}

QCoro::Task<core::Status> Session::requestPairingCode(QString phoneNumber)
{
    if (d->health.state != SessionState::AwaitingQr || !d->socket)
        co_return core::Error::make(errc::kWrongState, QStringLiteral("pairing codes need a registration connection"));
    QString digits;
    for (const QChar c : phoneNumber) {
        if (c.isDigit())
            digits.append(c);
        else if (c != QLatin1Char('+') && c != QLatin1Char(' ') && c != QLatin1Char('-'))
            co_return core::Error::make(core::errc::kInvalidArgument,
                                        QStringLiteral("phone number has bad characters"));
    }
    if (digits.size() < 6 || digits.size() > 15)
        co_return core::Error::make(core::errc::kInvalidArgument, QStringLiteral("phone number has a bad length"));

    CodePairing pairing;
    pairing.code = pairing_code::generateCode();
    pairing.phone = digits;
    pairing.ephemeral = crypto::generateX25519KeyPair();
    auto wrapped = pairing_code::wrapEphemeral(pairing.code, crypto::randomBytes(32), crypto::randomBytes(16),
                                               pairing.ephemeral.publicKey);
    if (!wrapped)
        co_return wrapped.error();
    std::vector<Node> children;
    children.push_back(bytesNode(QStringLiteral("link_code_pairing_wrapped_companion_ephemeral_pub"), *wrapped));
    children.push_back(bytesNode(QStringLiteral("companion_server_auth_key_pub"), d->credentials.noiseKey.publicKey));
    children.push_back(bytesNode(QStringLiteral("companion_platform_id"), QByteArray("1"))); // Chrome, as the QR
    children.push_back(bytesNode(QStringLiteral("companion_platform_display"),
                                 QStringLiteral("Chrome (%1)").arg(d->config.deviceName).toUtf8()));
    children.push_back(bytesNode(QStringLiteral("link_code_pairing_nonce"), QByteArray(1, '\0')));
    Node reg(QStringLiteral("link_code_companion_reg"),
             {{QStringLiteral("jid"), Jid::make(digits, QString(Jid::kUserServer))},
              {QStringLiteral("stage"), QStringLiteral("companion_hello")},
              {QStringLiteral("should_show_push_notification"), QStringLiteral("true")}},
             std::move(children));
    d->qrTimer.stop();
    d->codePairing = pairing;
    const SessionGuard g = d->guard();
    auto task =
        d->rawQuery(makeIq(QStringLiteral("set"), QStringLiteral("md"), {std::move(reg)}), std::chrono::seconds(30));
    core::Result<Node> answer = co_await task;
    if (!g.valid())
        co_return core::Error::make(errc::kNotConnected, QStringLiteral("the connection closed"));
    if (!answer) {
        d->codePairing.reset();
        d->qrTimer.start(0); // back to the QR codes
        co_return answer.error();
    }
    const QByteArray ref = childBytes(answer->child(u"link_code_companion_reg"), u"link_code_pairing_ref");
    if (ref.isEmpty()) {
        d->codePairing.reset();
        co_return core::Error::make(errc::kPairingCodeInvalid, QStringLiteral("no pairing ref in the answer"));
    }
    d->codePairing->ref = QString::fromUtf8(ref);
    Q_EMIT pairingCodeReady(pairing_code::displayCode(pairing.code));
    co_return core::Status{};
}

void Session::Private::onLinkCodeNotification(const Node &notification)
{
    ack(notification);
    const Node *reg = notification.child(u"link_code_companion_reg");
    if (!codePairing || codePairing->ref.isEmpty() || !reg) {
        qCInfo(lcWhatsApp) << "link code notification without a pending code pairing";
        return;
    }
    if (QString::fromUtf8(childBytes(reg, u"link_code_pairing_ref")) != codePairing->ref) {
        qCWarning(lcWhatsApp) << "link code notification for another pairing ref";
        return;
    }
    pairing_code::FinishInput input;
    input.code = codePairing->code;
    input.companionEphemeral = codePairing->ephemeral;
    input.wrappedPrimaryEphemeral = childBytes(reg, u"link_code_pairing_wrapped_primary_ephemeral_pub");
    input.primaryIdentityPublicKey = childBytes(reg, u"primary_identity_pub");
    input.identity = credentials.identityKey;
    input.random = crypto::randomBytes(32);
    input.keyBundleSalt = crypto::randomBytes(32);
    input.nonce = crypto::randomBytes(12);
    auto finished = pairing_code::companionFinish(input);
    if (!finished) {
        qCWarning(lcWhatsApp).noquote() << "code pairing failed:" << finished.error().code;
        return;
    }
    // pair-success that follows is HMAC'd with the derived secret (§5.3 step 6).
    credentials.advSecret = finished->advSecret;
    std::vector<Node> children;
    children.push_back(bytesNode(QStringLiteral("link_code_pairing_wrapped_key_bundle"), finished->wrappedKeyBundle));
    children.push_back(bytesNode(QStringLiteral("companion_identity_public"), credentials.identityKey.publicKey));
    children.push_back(bytesNode(QStringLiteral("link_code_pairing_ref"), codePairing->ref.toUtf8()));
    Node reg2(QStringLiteral("link_code_companion_reg"),
              {{QStringLiteral("jid"), Jid::make(codePairing->phone, QString(Jid::kUserServer))},
               {QStringLiteral("stage"), QStringLiteral("companion_finish")}},
              std::move(children));
    sendIqIgnoringResult(makeIq(QStringLiteral("set"), QStringLiteral("md"), {std::move(reg2)}));
}

} // namespace atende::server::whatsapp
