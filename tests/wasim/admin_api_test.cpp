// The admin HTTP API over real HTTP: the pairing flow driven through /admin/scan, listings, faults, and
// stable error codes for bad requests.
#include "tests/wasim/simulator.h"
#include "tests/wasim/test_client.h"

#include "server/whatsapp/pairing_qr.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTest>
#include <gtest/gtest.h>

namespace atende::wasim::test {
namespace {

using namespace server::whatsapp;

struct Reply {
    int status = 0;
    QJsonDocument body;
    QString code() const { return body.object().value(u"code").toString(); }
};

class WasimAdmin : public ::testing::Test {
protected:
    void SetUp() override { ASSERT_TRUE(sim.start().ok()); }

    Reply call(const QByteArray &method, const QString &path, const QByteArray &body = {})
    {
        QNetworkRequest request(sim.adminUrl().resolved(QUrl(path)));
        request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
        QNetworkReply *reply = nam.sendCustomRequest(request, method, body);
        EXPECT_TRUE(QTest::qWaitFor([&] { return reply->isFinished(); }, 5000));
        Reply out{reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(),
                  QJsonDocument::fromJson(reply->readAll())};
        reply->deleteLater();
        return out;
    }

    Simulator sim;
    QNetworkAccessManager nam;
};

TEST_F(WasimAdmin, PairsThroughHttpAndListsTheDevice)
{
    Reply created = call("POST", QStringLiteral("/admin/users"),
                         R"({"phone":"15550000009","push_name":"Shop","lid":"99990000009"})");
    ASSERT_EQ(created.status, 201);
    EXPECT_EQ(created.body.object().value(u"lid").toString(), QStringLiteral("99990000009"));
    EXPECT_EQ(call("POST", QStringLiteral("/admin/users"), R"({"phone":"15550000009"})").code(),
              QStringLiteral("wasim_user_exists"));

    const ClientKeys keys = ClientKeys::generate();
    TestClient c(sim.wsUrl(), sim.trustRootPublicKey());
    ASSERT_TRUE(c.connectWith(keys, registrationPayload(keys)).ok());
    auto pairDevice = c.waitFor([](const Node &n) { return n.child(u"pair-device") != nullptr; });
    ASSERT_TRUE(pairDevice);
    const QString qr = pairingQrText(pairDevice->child(u"pair-device")->children().at(1).bytes(), keys.noise.publicKey,
                                     keys.identity.publicKey, keys.advSecret);
    Reply scanned = call("POST", QStringLiteral("/admin/scan?phone=15550000009"), qr.toUtf8());
    ASSERT_EQ(scanned.status, 200) << scanned.code().toStdString();
    EXPECT_EQ(scanned.body.object().value(u"jid").toString(), QStringLiteral("15550000009:1@s.whatsapp.net"));
    auto success = c.waitFor([](const Node &n) { return n.child(u"pair-success") != nullptr; });
    ASSERT_TRUE(success);
    EXPECT_EQ(success->child(u"pair-success")->child(u"device")->attributeString(u"lid"),
              QStringLiteral("99990000009:1@lid"));
    // The same QR again while linking is in progress.
    EXPECT_EQ(call("POST", QStringLiteral("/admin/scan"), qr.toUtf8()).status, 409);

    EXPECT_EQ(call("GET", QStringLiteral("/admin/devices")).body.array().size(), 0); // not signed yet
    Reply connections = call("GET", QStringLiteral("/admin/connections"));
    ASSERT_EQ(connections.body.array().size(), 1);
    EXPECT_EQ(connections.body.array().at(0).toObject().value(u"phase").toString(), QStringLiteral("registration"));
}

TEST_F(WasimAdmin, BadRequestsGetStableCodes)
{
    EXPECT_EQ(call("GET", QStringLiteral("/admin/nope")).code(), QStringLiteral("not_found"));
    EXPECT_EQ(call("DELETE", QStringLiteral("/admin/users")).status, 405);
    Reply badJson = call("POST", QStringLiteral("/admin/users"), "{not json");
    EXPECT_EQ(badJson.status, 400);
    EXPECT_EQ(badJson.code(), QStringLiteral("bad_json"));
    EXPECT_EQ(call("POST", QStringLiteral("/admin/users"), R"({"phone":"12ab"})").code(),
              QStringLiteral("wasim_bad_phone"));
    EXPECT_EQ(call("POST", QStringLiteral("/admin/scan"), "hello").code(), QStringLiteral("wasim_qr_malformed"));
    const QString unknownRef = pairingQrText("2@nope", QByteArray(32, 'a'), QByteArray(32, 'b'), QByteArray(32, 'c'));
    Reply unknown = call("POST", QStringLiteral("/admin/scan"), unknownRef.toUtf8());
    EXPECT_EQ(unknown.status, 404);
    EXPECT_EQ(unknown.code(), QStringLiteral("wasim_qr_unknown_ref"));
    EXPECT_EQ(call("GET", QStringLiteral("/admin/devices/x:y:z")).code(), QStringLiteral("wasim_bad_device"));
    EXPECT_EQ(call("GET", QStringLiteral("/admin/devices/15550000001:1")).status, 404);
    EXPECT_EQ(call("POST", QStringLiteral("/admin/devices/15550000001:1/stream-error"), R"({"kind":"515"})").status,
              404);
    EXPECT_EQ(call("POST", QStringLiteral("/admin/faults"), R"({"chain":"sideways"})").code(),
              QStringLiteral("wasim_bad_fault"));
    EXPECT_EQ(call("POST", QStringLiteral("/admin/pair-code"), R"({"phone":"1555","code":"short"})").code(),
              QStringLiteral("wasim_code_malformed"));
    Reply faults = call("POST", QStringLiteral("/admin/faults"), R"({"chain":"expired","reply_delay_ms":5})");
    ASSERT_EQ(faults.status, 200);
    EXPECT_EQ(faults.body.object().value(u"chain").toString(), QStringLiteral("expired"));
    Reply info = call("GET", QStringLiteral("/admin/info"));
    EXPECT_EQ(info.body.object().value(u"trust_root").toString(),
              QString::fromLatin1(sim.trustRootPublicKey().toHex()));
}

TEST_F(WasimAdmin, RelayQueueCountersAndDeliveryFaults)
{
    ASSERT_TRUE(sim.createUser({QStringLiteral("15550000021"), {}, {}}).ok());
    const ClientKeys keys = ClientKeys::generate();
    ScanOptions options;
    options.phone = QStringLiteral("15550000021");
    ASSERT_TRUE(pairWithQr(sim, keys, options).ok());
    // A second device of the same user: its link is announced to the first one, which is offline → queued.
    ASSERT_TRUE(pairWithQr(sim, ClientKeys::generate(), options).ok());
    Reply queue = call("GET", QStringLiteral("/admin/devices/15550000021:1/queue"));
    ASSERT_EQ(queue.status, 200);
    ASSERT_EQ(queue.body.array().size(), 1);
    const QJsonObject entry = queue.body.array().at(0).toObject();
    EXPECT_EQ(entry.value(u"tag").toString(), QStringLiteral("notification"));
    EXPECT_EQ(entry.value(u"type").toString(), QStringLiteral("devices"));
    EXPECT_FALSE(entry.value(u"sent").toBool());
    Reply counters = call("GET", QStringLiteral("/admin/devices/15550000021:1/counters"));
    ASSERT_EQ(counters.status, 200);
    EXPECT_EQ(counters.body.object().value(u"relayed").toInt(), 1);
    EXPECT_EQ(counters.body.object().value(u"queued").toInt(), 1);
    EXPECT_EQ(counters.body.object().value(u"pending").toInt(), 1);

    EXPECT_EQ(call("POST", QStringLiteral("/admin/devices/15550000021:1/hold")).status, 200);
    EXPECT_TRUE(call("GET", QStringLiteral("/admin/devices/15550000021:1")).body.object().value(u"held").toBool());
    EXPECT_EQ(call("POST", QStringLiteral("/admin/devices/15550000021:1/release")).status, 200);
    EXPECT_EQ(call("POST", QStringLiteral("/admin/devices/15550000021:1/drop-after"), R"({"count":2})").status, 200);
    EXPECT_EQ(call("POST", QStringLiteral("/admin/devices/15550000021:1/drop-after"), R"({"count":0})").code(),
              QStringLiteral("wasim_bad_fault"));
    EXPECT_EQ(call("GET", QStringLiteral("/admin/devices/15550000021:9/queue")).code(),
              QStringLiteral("wasim_unknown_device"));
    EXPECT_EQ(call("POST", QStringLiteral("/admin/devices/15550000021:9/hold")).status, 404);
    EXPECT_EQ(call("POST", QStringLiteral("/admin/devices/15550000021:1/queue")).status, 405);
}

} // namespace
} // namespace atende::wasim::test
