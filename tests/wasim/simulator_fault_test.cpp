// Faults on demand (PROTOCOL.md §11, §12.1 item 13) and hostile input: every switch shows up on the wire
// as specified, and malformed client bytes close only that connection.
#include "server/whatsapp/error_codes.h"
#include "server/whatsapp/frame_writer.h"
#include "tests/wasim/simulator.h"
#include "tests/wasim/test_client.h"

#include <QElapsedTimer>
#include <QJsonObject>
#include <QTest>
#include <QWebSocket>
#include <gtest/gtest.h>

namespace atende::wasim::test {
namespace {

using namespace server::whatsapp;

const QString kDevice = QStringLiteral("15550000001:1");

Node ping()
{
    return Node(QStringLiteral("iq"),
                {{QStringLiteral("to"), Jid::serverJid()},
                 {QStringLiteral("type"), QStringLiteral("get")},
                 {QStringLiteral("xmlns"), QStringLiteral("w:p")}},
                std::vector<Node>{Node(QStringLiteral("ping"))});
}

class WasimFaults : public ::testing::Test {
protected:
    void SetUp() override
    {
        ASSERT_TRUE(sim.start().ok());
        auto result = pairWithQr(sim, keys, {});
        ASSERT_TRUE(result.ok()) << result.error().message.toStdString();
        paired = *result;
    }
    std::unique_ptr<TestClient> loggedIn()
    {
        auto c = std::make_unique<TestClient>(sim.wsUrl(), sim.trustRootPublicKey());
        EXPECT_TRUE(login(*c, keys, paired).ok());
        return c;
    }
    Simulator sim;
    ClientKeys keys = ClientKeys::generate();
    PairResult paired;
};

TEST_F(WasimFaults, StreamErrorsReachTheConnectedDeviceAndClose)
{
    struct Expect {
        const char *kind;
        const char *code;     // "" = no code attribute
        const char *conflict; // "" = no conflict child
    };
    for (const Expect &e : {Expect{"515", "515", ""}, Expect{"503", "503", ""}, Expect{"replaced", "", "replaced"}}) {
        SCOPED_TRACE(e.kind);
        auto c = loggedIn();
        ASSERT_TRUE(sim.sendStreamError(kDevice, QString::fromLatin1(e.kind)).ok());
        auto error = c->waitForTag(QStringLiteral("stream:error"));
        ASSERT_TRUE(error);
        EXPECT_EQ(error->attributeString(u"code"), QString::fromLatin1(e.code));
        const Node *conflict = error->child(u"conflict");
        EXPECT_EQ(conflict ? conflict->attributeString(u"type") : QString(), QString::fromLatin1(e.conflict));
        EXPECT_TRUE(c->waitClosed());
    }
    EXPECT_FALSE(sim.sendStreamError(kDevice, QStringLiteral("515")).ok()); // nobody connected now
    EXPECT_EQ(sim.sendStreamError(kDevice, QStringLiteral("bogus")).error().code,
              QStringLiteral("wasim_bad_stream_error"));

    auto c = loggedIn();
    ASSERT_TRUE(sim.sendStreamError(kDevice, QStringLiteral("device_removed")).ok());
    auto error = c->waitForTag(QStringLiteral("stream:error"));
    ASSERT_TRUE(error && error->child(u"conflict"));
    EXPECT_EQ(error->attributeString(u"code"), QStringLiteral("401"));
    EXPECT_EQ(error->child(u"conflict")->attributeString(u"type"), QStringLiteral("device_removed"));
}

TEST_F(WasimFaults, DropClosesWithoutStreamEnd)
{
    auto c = loggedIn();
    ASSERT_TRUE(QTest::qWaitFor([&] { return sim.isConnected(kDevice); }, 2000));
    ASSERT_TRUE(sim.dropConnections(kDevice).ok());
    EXPECT_TRUE(c->waitClosed());
    EXPECT_FALSE(c->next(100));
    EXPECT_FALSE(sim.isConnected(kDevice));
}

TEST_F(WasimFaults, NextLoginFailsOnceWithTheInjectedReason)
{
    ASSERT_TRUE(sim.failNextLogin(kDevice, 403).ok());
    TestClient c(sim.wsUrl(), sim.trustRootPublicKey());
    ASSERT_TRUE(c.connectWith(keys, loginPayload(paired.username, paired.device)).ok());
    auto failure = c.next();
    ASSERT_TRUE(failure);
    EXPECT_EQ(failure->tag, QStringLiteral("failure"));
    EXPECT_EQ(failure->attributeString(u"reason"), QStringLiteral("403"));
    EXPECT_TRUE(c.waitClosed());

    ASSERT_TRUE(sim.setFaults({{QStringLiteral("next_login_failure"), 503}}).ok());
    TestClient d(sim.wsUrl(), sim.trustRootPublicKey());
    ASSERT_TRUE(d.connectWith(keys, loginPayload(paired.username, paired.device)).ok());
    auto second = d.next();
    ASSERT_TRUE(second);
    EXPECT_EQ(second->attributeString(u"reason"), QStringLiteral("503"));

    auto ok = loggedIn(); // both faults were one-shot
    EXPECT_TRUE(sim.isConnected(kDevice));
}

TEST_F(WasimFaults, SecondLoginReplacesTheFirst)
{
    auto first = loggedIn();
    auto second = loggedIn();
    auto error = first->waitForTag(QStringLiteral("stream:error"));
    ASSERT_TRUE(error && error->child(u"conflict"));
    EXPECT_EQ(error->child(u"conflict")->attributeString(u"type"), QStringLiteral("replaced"));
    EXPECT_TRUE(first->waitClosed());
    EXPECT_TRUE(second->query(ping()));
}

TEST_F(WasimFaults, RepliesAreDelayedAndFramesCompressed)
{
    auto c = loggedIn();
    ASSERT_TRUE(
        sim.setFaults({{QStringLiteral("reply_delay_ms"), 300}, {QStringLiteral("compress_frames"), true}}).ok());
    QElapsedTimer timer;
    timer.start();
    auto reply = c->query(ping());
    ASSERT_TRUE(reply);
    EXPECT_GE(timer.elapsed(), 290);
    EXPECT_EQ(reply->attributeString(u"type"), QStringLiteral("result"));
    EXPECT_GE(c->compressedFrames(), 1);
    EXPECT_EQ(sim.setFaults({{QStringLiteral("reply_delay_ms"), -1}}).error().code, QStringLiteral("wasim_bad_fault"));
    EXPECT_EQ(sim.setFaults({{QStringLiteral("nonsense"), 1}}).error().code, QStringLiteral("wasim_bad_fault"));
    EXPECT_EQ(sim.faults().replyDelayMs, 300); // a rejected change changes nothing
}

TEST(WasimPairingFaults, BadHmacAndBadAccountSignatureAreRejectedByTheCompanion)
{
    Simulator sim;
    ASSERT_TRUE(sim.start().ok());
    ScanOptions badHmac;
    badHmac.badHmac = true;
    auto r1 = pairWithQr(sim, ClientKeys::generate(), badHmac);
    ASSERT_FALSE(r1.ok());
    EXPECT_EQ(r1.error().code, QString::fromLatin1(errc::kAdvHmacMismatch));
    ScanOptions badSignature;
    badSignature.badAccountSignature = true;
    auto r2 = pairWithQr(sim, ClientKeys::generate(), badSignature);
    ASSERT_FALSE(r2.ok());
    EXPECT_EQ(r2.error().code, QString::fromLatin1(errc::kAdvSignatureMismatch));
    ASSERT_TRUE(QTest::qWaitFor([&] { return sim.events().filter(QStringLiteral("pair_failed")).size() == 2; }, 2000));
    EXPECT_TRUE(sim.events().filter(QStringLiteral("hmac-mismatch")).size() == 1);
    EXPECT_TRUE(sim.devices().isEmpty());
}

TEST(WasimHostileInput, MalformedInputClosesOnlyThatConnection)
{
    Simulator sim;
    ASSERT_TRUE(sim.start().ok());
    auto rawConnection = [&](const QByteArray &bytes) {
        QWebSocket socket;
        bool closed = false;
        QObject::connect(&socket, &QWebSocket::disconnected, [&] { closed = true; });
        socket.open(sim.wsUrl());
        EXPECT_TRUE(QTest::qWaitFor([&] { return socket.state() == QAbstractSocket::ConnectedState; }, 5000));
        socket.sendBinaryMessage(bytes);
        return QTest::qWaitFor([&] { return closed; }, 5000);
    };
    EXPECT_TRUE(rawConnection(QByteArray("GET / HTTP/1.1\r\n")));                          // bad intro
    EXPECT_TRUE(rawConnection(waIntro() + QByteArray("\xff\xff\xff", 3)));                 // oversized frame
    EXPECT_TRUE(rawConnection(waIntro() + QByteArray("\x00\x00\x04\x01\x02\x03\x04", 7))); // not a HandshakeMessage

    // Garbage after a good handshake: the transport frame does not decrypt.
    const ClientKeys keys = ClientKeys::generate();
    TestClient c(sim.wsUrl(), sim.trustRootPublicKey());
    ASSERT_TRUE(c.connectWith(keys, registrationPayload(keys)).ok());
    c.sendRaw(QByteArray("\x00\x00\x10", 3) + QByteArray(16, 'x'));
    EXPECT_TRUE(c.waitClosed());
    EXPECT_FALSE(sim.events().filter(QStringLiteral("does not decrypt")).isEmpty());

    // The simulator still serves everyone else.
    EXPECT_TRUE(pairWithQr(sim, ClientKeys::generate(), {}).ok());
}

} // namespace
} // namespace atende::wasim::test
