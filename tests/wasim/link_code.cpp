// Pairing with an 8-character code, the phone's side (PROTOCOL.md §5.3): companion_hello is answered with
// a ref; when the phone's user enters the code (admin API) the phone sends its wrapped ephemeral key and
// identity; companion_finish carries the key bundle, from which the phone derives the same adv secret as
// the companion and then sends pair-success keyed with it.
#include "server/whatsapp/pairing_code.h"
#include "tests/wasim/connection.h"
#include "tests/wasim/iq_util.h"
#include "tests/wasim/simulator.h"
#include "tests/wasim/wasim_logging.h"

namespace atende::wasim {

using namespace server::whatsapp;
using core::Error;

namespace {

QByteArray childBytes(const Node &node, QStringView tag)
{
    const Node *child = node.child(tag);
    return child ? child->bytes() : QByteArray();
}

} // namespace

void Simulator::onLinkCode(Connection &connection, const Node &iq)
{
    const Node &reg = *iq.child(u"link_code_companion_reg");
    RegistrationState *state = connection.registration();
    if (!state || iq.attributeString(u"type") != u"set") {
        connection.sendReply(iqError(iq, 400, QStringLiteral("bad-request")));
        return;
    }
    const QString stage = reg.attributeString(u"stage");
    if (stage == u"companion_hello") {
        const auto jid = reg.attributeJid(u"jid");
        const QByteArray wrapped = childBytes(reg, u"link_code_pairing_wrapped_companion_ephemeral_pub");
        const QByteArray serverAuthKey = childBytes(reg, u"companion_server_auth_key_pub");
        if (!jid || jid->user.isEmpty() || wrapped.size() != pairing_code::kWrappedSize ||
            serverAuthKey != connection.clientStaticKey()) {
            connection.sendReply(iqError(iq, 400, QStringLiteral("bad-request")));
            return;
        }
        state->codePhone = jid->user;
        state->wrappedCompanionEphemeral = wrapped;
        state->companionEphemeral.clear();
        state->codeRef = QStringLiteral("2@") + QString::fromLatin1(crypto::randomBytes(18).toBase64());
        record(QStringLiteral("companion_hello %1").arg(connection.id()));
        connection.sendReply(
            iqResult(iq, {Node(QStringLiteral("link_code_companion_reg"), {},
                               std::vector<Node>{bytesNode("link_code_pairing_ref", state->codeRef.toUtf8())})}));
        return;
    }
    if (stage != u"companion_finish") {
        connection.sendReply(iqError(iq, 400, QStringLiteral("bad-request")));
        return;
    }
    auto fail = [&](const QString &why) {
        record(QStringLiteral("code_pairing_failed %1").arg(why));
        Q_EMIT pairingFailed(why);
        connection.sendReply(iqError(iq, 400, QStringLiteral("bad-request")));
    };
    SimUser *user = userFor(state->codePhone, false);
    if (state->companionEphemeral.isEmpty() || !user) {
        fail(QStringLiteral("no_code_entered"));
        return;
    }
    if (QString::fromUtf8(childBytes(reg, u"link_code_pairing_ref")) != state->codeRef) {
        fail(QStringLiteral("ref_mismatch"));
        return;
    }
    const QByteArray companionIdentity = childBytes(reg, u"companion_identity_public");
    auto shared = crypto::x25519(state->primaryEphemeral.privateKey, state->companionEphemeral);
    auto opened = shared
                      ? pairing_code::openKeyBundle(*shared, childBytes(reg, u"link_code_pairing_wrapped_key_bundle"))
                      : core::Result<QByteArray>(shared.error());
    // A wrong code shows up here: the companion ephemeral we unwrapped was garbage, so the bundle's GCM
    // tag does not verify.
    if (!opened || opened->size() != 96) {
        fail(QStringLiteral("key_bundle_does_not_open"));
        return;
    }
    if (opened->first(32) != companionIdentity || companionIdentity != state->identityKey ||
        opened->sliced(32, 32) != user->account.publicKey) {
        fail(QStringLiteral("key_bundle_identity_mismatch"));
        return;
    }
    auto agreement = crypto::x25519(user->account.privateKey, companionIdentity);
    if (!agreement) {
        fail(QStringLiteral("identity_agreement_failed"));
        return;
    }
    const QByteArray advSecret = pairing_code::deriveAdvSecret(*shared, *agreement, opened->sliced(64, 32));
    connection.sendReply(iqResult(iq));
    if (core::Status s = sendPairSuccess(connection, *user, advSecret, {}); !s)
        fail(QStringLiteral("pair_success_failed"));
}

core::Status Simulator::enterPairingCode(const QString &phone, const QString &rawCode)
{
    const QString code = QString(rawCode).remove(u'-').trimmed().toUpper();
    if (code.size() != pairing_code::kCodeLength)
        return Error::make("wasim_code_malformed", QStringLiteral("a pairing code has 8 characters"));
    Connection *target = nullptr;
    for (Connection *c : std::as_const(m_connections))
        if (c->phase() == Connection::Phase::Registration && c->registration() &&
            c->registration()->codePhone == phone && !c->registration()->wrappedCompanionEphemeral.isEmpty())
            target = c;
    if (!target)
        return Error::make("wasim_no_code_request", QStringLiteral("no companion asked to link this phone number"));
    SimUser *user = userFor(phone, false);
    if (!user) {
        auto created = createUser({phone, QStringLiteral("Wasim Phone"), {}});
        if (!created)
            return created.error();
        user = userFor(phone, false);
    }
    RegistrationState &state = *target->registration();
    auto companionEphemeral = pairing_code::unwrapEphemeral(code, state.wrappedCompanionEphemeral);
    if (!companionEphemeral)
        return companionEphemeral.error();
    state.companionEphemeral = *companionEphemeral;
    state.primaryEphemeral = crypto::generateX25519KeyPair();
    auto wrapped = pairing_code::wrapEphemeral(code, crypto::randomBytes(32), crypto::randomBytes(16),
                                               state.primaryEphemeral.publicKey);
    if (!wrapped)
        return wrapped.error();
    target->send(Node(
        QStringLiteral("notification"),
        {{QStringLiteral("from"), Jid::serverJid()},
         {QStringLiteral("type"), QStringLiteral("link_code_companion_reg")},
         {QStringLiteral("id"), nextId()},
         {QStringLiteral("t"), QString::number(now())}},
        std::vector<Node>{Node(QStringLiteral("link_code_companion_reg"), {},
                               std::vector<Node>{bytesNode("link_code_pairing_ref", state.codeRef.toUtf8()),
                                                 bytesNode("link_code_pairing_wrapped_primary_ephemeral_pub", *wrapped),
                                                 bytesNode("primary_identity_pub", user->account.publicKey)})}));
    record(QStringLiteral("code_entered %1").arg(phone));
    return {};
}

} // namespace atende::wasim
