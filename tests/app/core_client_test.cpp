// ApiClient, Session and SyncClient against a real atende-server.

#include "tests/app/client_harness.h"

#include "atende/api/v1/sync.pb.h"
#include "atende/api/v1/tickets.pb.h"

#include <QSignalSpy>
#include <gtest/gtest.h>

using namespace atende::app::core;
using atende::test::ClientHarness;
using atende::test::RealServer;
namespace v1 = atende::api::v1;

TEST(ApiClient, PathsAndQueriesComeFromTheRequest)
{
    v1::ListTicketsRequest list;
    list.set_view("waiting");
    list.set_limit(20);
    QUrlQuery query;
    EXPECT_EQ(ApiClient::requestPath(ops::kListTickets, list, &query), QStringLiteral("/api/v1/tickets"));
    EXPECT_EQ(query.queryItemValue(QStringLiteral("view")), QStringLiteral("waiting"));
    EXPECT_EQ(query.queryItemValue(QStringLiteral("limit")), QStringLiteral("20"));
    EXPECT_FALSE(query.hasQueryItem(QStringLiteral("after"))) << "unset fields stay out";
    v1::AcceptTicketRequest accept;
    accept.set_id("a/b");
    QUrlQuery none;
    EXPECT_EQ(ApiClient::requestPath(ops::kAccept, accept, &none), QStringLiteral("/api/v1/tickets/a%2Fb/accept"));
    EXPECT_TRUE(none.isEmpty()) << "POST fields go in the body";
    const ApiError e = ApiClient::errorFromBody(
        409, R"({"code":"conflict","message":"x","details":{"reason":"ticket_already_accepted"}})");
    EXPECT_EQ(e.code, QStringLiteral("conflict"));
    EXPECT_EQ(e.reason(), QStringLiteral("ticket_already_accepted"));
}

TEST(Session, SignsInRefreshesAndReportsStableErrors)
{
    RealServer server;
    ASSERT_EQ(server.start(), QString());
    ClientHarness client;
    QSignalSpy failed(client.session.get(), &Session::signInFailed);
    client.session->signIn(server.url(), server.user(QStringLiteral("agent")).email, QStringLiteral("wrong"), false);
    ASSERT_TRUE(QTest::qWaitFor([&] { return failed.count() == 1; }, 15000));
    EXPECT_EQ(failed.at(0).at(0).toString(), QStringLiteral("unauthenticated"));
    EXPECT_EQ(client.session->state(), Session::State::SignedOut);

    ASSERT_TRUE(client.signIn(server, QStringLiteral("agent")));
    EXPECT_EQ(client.session->user().role, QStringLiteral("agent"));
    EXPECT_EQ(client.session->user().name, QStringLiteral("Alice Atendente"));
    EXPECT_EQ(client.directory.mySectorIds().size(), 1) << "the demo agent works in Suporte";

    // (Within the same second the new access token may equal the old one: same claims.)
    bool refreshed = false;
    client.session->refresh([&](bool ok) { refreshed = ok; });
    ASSERT_TRUE(QTest::qWaitFor([&] { return refreshed; }, 15000));
    EXPECT_FALSE(client.session->accessToken().isEmpty());
    EXPECT_EQ(client.session->state(), Session::State::SignedIn);

    // A call with a token the server rejects is refreshed and sent again, invisibly to the caller.
    client.api.setAccessToken(QStringLiteral("not-a-token"));
    std::optional<ApiResult<v1::CountTicketsResponse>> counts;
    client.api.call<v1::CountTicketsResponse>(ops::kCountTickets, v1::CountTicketsRequest(), nullptr,
                                              [&](const ApiResult<v1::CountTicketsResponse> &r) { counts = r; });
    ASSERT_TRUE(QTest::qWaitFor([&] { return counts.has_value(); }, 15000));
    EXPECT_TRUE(counts->ok()) << (counts->ok() ? "" : counts->error->code.toStdString());
}

TEST(Session, ExpiredSessionEndsAndRememberWithoutKeychainStoresNothing)
{
    RealServer server;
    ASSERT_EQ(server.start(), QString());
    // No D-Bus session in the test: the keychain is unavailable, so "remember me" must say so.
    qputenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent");
    ClientHarness client(true);
    QSignalSpy remember(client.session.get(), &Session::rememberFailed);
    ASSERT_TRUE(client.signIn(server, QStringLiteral("agent"), true));
    ASSERT_TRUE(QTest::qWaitFor([&] { return remember.count() > 0; }, 15000));
    EXPECT_FALSE(remember.at(0).at(0).toString().isEmpty());
    EXPECT_FALSE(client.session->remembered());

    // The server signs every session of this user out (a password reset): the next refresh fails.
    QSignalSpy expired(client.session.get(), &Session::expired);
    server.call("POST", QStringLiteral("/api/v1/users/%1/reset-password").arg(client.session->user().id));
    client.session->refresh();
    ASSERT_TRUE(QTest::qWaitFor([&] { return expired.count() == 1; }, 15000));
    EXPECT_EQ(client.session->state(), Session::State::SignedOut);
    EXPECT_TRUE(client.session->accessToken().isEmpty());
}

TEST(SyncClient, ResyncsFirstThenDeliversLiveAndResumesAfterAGap)
{
    RealServer server;
    ASSERT_EQ(server.start(), QString());
    ClientHarness client;
    ASSERT_TRUE(client.signIn(server, QStringLiteral("agent")));
    QSignalSpy resync(&client.sync, &SyncClient::resyncRequired);
    QList<v1::Event> events;
    QObject::connect(&client.sync, &SyncClient::eventReceived, &client.sync,
                     [&](const v1::Event &e) { events.append(e); });
    client.startSync(server);
    ASSERT_TRUE(QTest::qWaitFor([&] { return client.sync.online(); }, 15000));
    EXPECT_EQ(resync.count(), 1) << "no position yet: load the lists, continue from the head";

    const QString ticket =
        server.customerSays(QStringLiteral("5511900000001"), QStringLiteral("Maria"), QStringLiteral("Olá"))
            .value(QStringLiteral("ticketId"))
            .toString();
    ASSERT_FALSE(ticket.isEmpty());
    ASSERT_TRUE(QTest::qWaitFor(
        [&] {
            for (const v1::Event &e : events)
                if (e.has_ticket_changed() && e.ticket_changed().ticket().id() == ticket.toStdString())
                    return true;
            return false;
        },
        15000));
    const quint64 seen = client.sync.lastSeq();
    EXPECT_GT(seen, 0u);

    // Offline for a while: what happened meanwhile arrives on reconnect, from the log.
    client.sync.stop();
    EXPECT_FALSE(client.sync.online());
    server.customerSays(QStringLiteral("5511900000001"), QStringLiteral("Maria"), QStringLiteral("Alguém aí?"));
    events.clear();
    client.sync.start();
    ASSERT_TRUE(QTest::qWaitFor(
        [&] {
            for (const v1::Event &e : events)
                if (e.has_message_changed() && e.message_changed().message().body() == "Alguém aí?")
                    return true;
            return false;
        },
        15000));
    EXPECT_EQ(resync.count(), 1) << "resumed, not reloaded";
    EXPECT_GT(client.sync.lastSeq(), seen);
}
