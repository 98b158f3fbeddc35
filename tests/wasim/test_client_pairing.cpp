#include "server/whatsapp/adv_identity.h"
#include "server/whatsapp/curve_signature.h"
#include "server/whatsapp/pairing_qr.h"
#include "tests/wasim/simulator.h"
#include "tests/wasim/test_client.h"

namespace atende::wasim::test {

using namespace server::whatsapp;
using core::Error;

namespace {
Error step(const QString &why)
{
    return Error::make("pairing_step_failed", why);
}
} // namespace

core::Result<PairResult> pairWithQr(Simulator &simulator, const ClientKeys &keys, const ScanOptions &options)
{
    TestClient client(simulator.wsUrl(), simulator.trustRootPublicKey(), Simulator::trustRootSerial());
    if (core::Status s = client.connectWith(keys, registrationPayload(keys)); !s)
        return s.error();
    auto pairDevice = client.waitForTag(QStringLiteral("iq"));
    const Node *refs = pairDevice ? pairDevice->child(u"pair-device") : nullptr;
    if (!refs || !refs->hasChildren() || refs->children().empty())
        return step(QStringLiteral("no pair-device iq"));
    (void)client.send(Node(QStringLiteral("iq"), {{QStringLiteral("to"), Jid::serverJid()},
                                                  {QStringLiteral("type"), QStringLiteral("result")},
                                                  {QStringLiteral("id"), pairDevice->attributeString(u"id")}}));
    const QString qr =
        pairingQrText(refs->children().front().bytes(), keys.noise.publicKey, keys.identity.publicKey, keys.advSecret);
    auto jid = simulator.scan(qr, options);
    if (!jid)
        return jid.error();
    auto success = client.waitFor([](const Node &n) { return n.tag == u"iq" && n.child(u"pair-success"); });
    if (!success)
        return step(QStringLiteral("no pair-success"));
    const Node &ps = *success->child(u"pair-success");
    const Node *identity = ps.child(u"device-identity");
    const Node *device = ps.child(u"device");
    if (!identity || !device)
        return step(QStringLiteral("pair-success lacks device-identity or device"));
    const QString iqId = success->attributeString(u"id");
    auto paired = adv::verifyPairSuccess(identity->bytes(), keys.advSecret, keys.identity.publicKey);
    if (!paired) {
        (void)client.send(adv::pairErrorReply(iqId, paired.error()));
        client.waitClosed(300);
        return paired.error();
    }
    CurveSigner signer;
    if (core::Status s = adv::signDevice(*paired, keys.identity.privateKey, keys.identity.publicKey, signer); !s)
        return s.error();
    (void)client.send(
        adv::pairDeviceSignReply(iqId, adv::replyIdentityBytes(paired->identity), paired->details.key_index()));
    auto restart = client.waitForTag(QStringLiteral("stream:error"));
    if (!restart || restart->attributeString(u"code") != u"515")
        return step(QStringLiteral("no stream:error 515 after pair-device-sign"));
    if (!client.waitClosed())
        return step(QStringLiteral("server did not close after 515"));
    auto deviceJid = device->attributeJid(u"jid");
    if (!deviceJid)
        return step(QStringLiteral("device jid missing"));
    return PairResult{deviceJid->user.toULongLong(), deviceJid->device, deviceJid->toString()};
}

core::Status login(TestClient &client, const ClientKeys &keys, const PairResult &paired)
{
    if (core::Status s = client.connectWith(keys, loginPayload(paired.username, paired.device)); !s)
        return s;
    auto first = client.next();
    if (!first || first->tag != u"success")
        return step(
            QStringLiteral("login answered with %1").arg(first ? first->describe() : QStringLiteral("nothing")));
    auto offline = client.waitFor([](const Node &n) { return n.tag == u"ib" && n.child(u"offline"); });
    if (!offline)
        return step(QStringLiteral("no <ib><offline/></ib>"));
    return {};
}

} // namespace atende::wasim::test
