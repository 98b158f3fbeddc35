// Simulated customers over the admin HTTP API: two customers (each a companion device running on our own
// client library inside the simulator) talk to each other through the relay — text, quote, typing, read
// receipts, offline catch-up — and bad requests get stable codes.
#include "tests/wasim/simulator.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTest>
#include <gtest/gtest.h>

namespace atende::wasim::test {
namespace {

struct Reply {
    int status = 0;
    QJsonDocument body;
    QString code() const { return body.object().value(u"code").toString(); }
    QJsonObject object() const { return body.object(); }
};

class WasimCustomers : public ::testing::Test {
protected:
    void SetUp() override { ASSERT_TRUE(sim.start().ok()); }

    Reply call(const QByteArray &method, const QString &path, const QByteArray &body = {})
    {
        QNetworkRequest request(sim.adminUrl().resolved(QUrl(path)));
        request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
        QNetworkReply *reply = nam.sendCustomRequest(request, method, body);
        EXPECT_TRUE(QTest::qWaitFor([&] { return reply->isFinished(); }, 30000));
        Reply out{reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(),
                  QJsonDocument::fromJson(reply->readAll())};
        reply->deleteLater();
        return out;
    }
    QJsonObject inbox(const QString &phone, qint64 after = 0)
    {
        return call("GET", QStringLiteral("/admin/customers/%1/inbox?after=%2").arg(phone).arg(after)).object();
    }
    bool waitInbox(const QString &phone, const QString &list, int count)
    {
        return QTest::qWaitFor([&] { return inbox(phone).value(list).toArray().size() >= count; }, 10000);
    }

    Simulator sim;
    QNetworkAccessManager nam;
};

TEST_F(WasimCustomers, TwoCustomersTalkThroughTheRelay)
{
    Reply ana = call("POST", QStringLiteral("/admin/customers"), R"({"phone":"5551999000001","push_name":"Ana"})");
    ASSERT_EQ(ana.status, 201) << ana.code().toStdString();
    EXPECT_EQ(ana.object().value(u"jid").toString(), QStringLiteral("5551999000001@s.whatsapp.net"));
    EXPECT_FALSE(ana.object().value(u"lid").toString().isEmpty());
    EXPECT_TRUE(ana.object().value(u"connected").toBool());
    Reply bia = call("POST", QStringLiteral("/admin/customers"), R"({"phone":"5551999000002"})");
    ASSERT_EQ(bia.status, 201) << bia.code().toStdString();
    EXPECT_EQ(call("GET", QStringLiteral("/admin/customers")).body.array().size(), 2);
    EXPECT_EQ(call("POST", QStringLiteral("/admin/customers"), R"({"phone":"5551999000002"})").code(),
              QStringLiteral("wasim_customer_exists"));

    const qint64 before = QDateTime::currentMSecsSinceEpoch();
    Reply sent = call("POST", QStringLiteral("/admin/customers/5551999000001/send"),
                      R"({"to":"5551999000002","text":"Oi Bia! 👋 مرحبا"})");
    ASSERT_EQ(sent.status, 200) << sent.code().toStdString();
    const QString id = sent.object().value(u"id").toString();
    ASSERT_FALSE(id.isEmpty());
    ASSERT_TRUE(waitInbox(QStringLiteral("5551999000002"), QStringLiteral("messages"), 1));
    QJsonObject got = inbox(QStringLiteral("5551999000002")).value(u"messages").toArray().at(0).toObject();
    EXPECT_EQ(got.value(u"id").toString(), id);
    EXPECT_EQ(got.value(u"text").toString(), QStringLiteral("Oi Bia! 👋 مرحبا"));
    EXPECT_EQ(got.value(u"kind").toString(), QStringLiteral("text"));
    EXPECT_TRUE(got.value(u"from").toString().startsWith(u"5551999000001:"));
    EXPECT_GE(qint64(got.value(u"received_at_ms").toDouble()), before);
    // Delivery receipt back at Ana.
    ASSERT_TRUE(waitInbox(QStringLiteral("5551999000001"), QStringLiteral("receipts"), 1));
    EXPECT_EQ(inbox(QStringLiteral("5551999000001")).value(u"receipts").toArray().at(0).toObject().value(u"type"),
              QStringLiteral("delivered"));

    // Bia types, quotes and reads.
    ASSERT_EQ(call("POST", QStringLiteral("/admin/customers/5551999000002/typing"),
                   R"({"to":"5551999000001","state":"composing"})")
                  .status,
              200);
    ASSERT_TRUE(waitInbox(QStringLiteral("5551999000001"), QStringLiteral("chat_states"), 1));
    EXPECT_EQ(inbox(QStringLiteral("5551999000001")).value(u"chat_states").toArray().at(0).toObject().value(u"state"),
              QStringLiteral("composing"));
    Reply reply = call("POST", QStringLiteral("/admin/customers/5551999000002/send"),
                       QJsonDocument(QJsonObject{{QStringLiteral("to"), QStringLiteral("5551999000001")},
                                                 {QStringLiteral("text"), QStringLiteral("Oi Ana")},
                                                 {QStringLiteral("quote_id"), id}})
                           .toJson());
    ASSERT_EQ(reply.status, 200) << reply.code().toStdString();
    ASSERT_TRUE(waitInbox(QStringLiteral("5551999000001"), QStringLiteral("messages"), 1));
    QJsonObject quoted = inbox(QStringLiteral("5551999000001")).value(u"messages").toArray().at(0).toObject();
    EXPECT_EQ(quoted.value(u"quote_id").toString(), id);
    ASSERT_EQ(call("POST", QStringLiteral("/admin/customers/5551999000002/read"),
                   QJsonDocument(QJsonObject{{QStringLiteral("to"), QStringLiteral("5551999000001")},
                                             {QStringLiteral("ids"), QJsonArray{id}}})
                       .toJson())
                  .status,
              200);
    ASSERT_TRUE(QTest::qWaitFor(
        [&] {
            for (const QJsonValue &r : inbox(QStringLiteral("5551999000001")).value(u"receipts").toArray())
                if (r.toObject().value(u"type").toString() == u"read" && r.toObject().value(u"id").toString() == id)
                    return true;
            return false;
        },
        10000));

    // Bia goes offline; Ana's messages wait and arrive once when she is back.
    const qint64 seenBefore = inbox(QStringLiteral("5551999000002")).value(u"last_seq").toInteger();
    ASSERT_EQ(call("POST", QStringLiteral("/admin/customers/5551999000002/offline")).status, 200);
    for (int i = 0; i < 3; ++i)
        ASSERT_EQ(call("POST", QStringLiteral("/admin/customers/5551999000001/send"),
                       QStringLiteral(R"({"to":"5551999000002","text":"enquanto offline %1"})").arg(i).toUtf8())
                      .status,
                  200);
    EXPECT_EQ(
        call("POST", QStringLiteral("/admin/customers/5551999000002/send"), R"({"to":"5551999000001","text":"x"})")
            .code(),
        QStringLiteral("wasim_not_connected"));
    Reply online = call("POST", QStringLiteral("/admin/customers/5551999000002/online"));
    ASSERT_EQ(online.status, 201) << online.code().toStdString();
    ASSERT_TRUE(QTest::qWaitFor(
        [&] { return inbox(QStringLiteral("5551999000002"), seenBefore).value(u"messages").toArray().size() == 3; },
        10000));
    QTest::qWait(300);
    const QJsonArray late = inbox(QStringLiteral("5551999000002"), seenBefore).value(u"messages").toArray();
    ASSERT_EQ(late.size(), 3);
    for (int i = 0; i < 3; ++i)
        EXPECT_EQ(late.at(i).toObject().value(u"text").toString(), QStringLiteral("enquanto offline %1").arg(i));
}

TEST_F(WasimCustomers, BadRequestsGetStableCodes)
{
    EXPECT_EQ(call("POST", QStringLiteral("/admin/customers"), R"({"phone":"12ab"})").code(),
              QStringLiteral("wasim_bad_phone"));
    EXPECT_EQ(call("POST", QStringLiteral("/admin/customers"), "not json").code(), QStringLiteral("bad_json"));
    EXPECT_EQ(call("GET", QStringLiteral("/admin/customers/5551999000009/inbox")).status, 404);
    ASSERT_EQ(call("POST", QStringLiteral("/admin/customers"), R"({"phone":"5551999000003"})").status, 201);
    const QString base = QStringLiteral("/admin/customers/5551999000003/");
    EXPECT_EQ(call("POST", base + QStringLiteral("send"), R"({"to":"5551999000004"})").code(),
              QStringLiteral("wasim_bad_text"));
    EXPECT_EQ(call("POST", base + QStringLiteral("send"), R"({"to":"abc","text":"x"})").code(),
              QStringLiteral("wasim_bad_recipient"));
    Reply unknown = call("POST", base + QStringLiteral("send"), R"({"to":"5551999000077","text":"x"})");
    EXPECT_EQ(unknown.status, 404);
    EXPECT_EQ(unknown.code(), QStringLiteral("wasim_unknown_recipient"));
    EXPECT_EQ(call("POST", base + QStringLiteral("typing"), R"({"to":"5551999000004","state":"dancing"})").code(),
              QStringLiteral("wasim_bad_state"));
    EXPECT_EQ(call("POST", base + QStringLiteral("read"), R"({"to":"5551999000004","ids":[]})").code(),
              QStringLiteral("wasim_bad_ids"));
    EXPECT_EQ(call("GET", base + QStringLiteral("inbox?after=-1")).code(), QStringLiteral("wasim_bad_after"));
    EXPECT_EQ(call("DELETE", base + QStringLiteral("inbox")).status, 405);
    EXPECT_EQ(call("POST", base + QStringLiteral("dance"), R"({"to":"5551999000004"})").status, 404);
}

} // namespace
} // namespace atende::wasim::test
