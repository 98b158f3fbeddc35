// TicketListModel and ConversationModel against a real server, under QAbstractItemModelTester.

#include "app/console/conversation_panel.h"
#include "app/models/conversation_model.h"
#include "app/models/ticket_list_model.h"
#include "tests/app/client_harness.h"

#include "atende/api/v1/messages.pb.h"
#include "atende/api/v1/sync.pb.h"
#include "atende/api/v1/tickets.pb.h"

#include <QAbstractItemModelTester>
#include <QListView>
#include <QScrollBar>
#include <QSignalSpy>
#include <gtest/gtest.h>

using namespace atende::app;
using atende::test::ClientHarness;
using atende::test::RealServer;
using models::ConversationModel;
using models::TicketListModel;
namespace v1 = atende::api::v1;

namespace {
QString phone(int i)
{
    return QStringLiteral("55119%1").arg(i, 8, 10, QLatin1Char('0'));
}
} // namespace

TEST(TicketListModel, PagesByCursorAndFollowsEvents)
{
    RealServer server;
    ASSERT_EQ(server.start(), QString());
    QStringList tickets;
    for (int i = 0; i < 5; ++i)
        tickets.append(server.customerSays(phone(i), QStringLiteral("Cliente %1").arg(i), QStringLiteral("oi"))
                           .value(QStringLiteral("ticketId"))
                           .toString());
    ClientHarness client;
    ASSERT_TRUE(client.signIn(server, QStringLiteral("agent")));
    TicketListModel waiting(TicketListModel::View::Waiting, &client.api, &client.directory);
    TicketListModel mine(TicketListModel::View::Mine, &client.api, &client.directory);
    waiting.setMyUserId(client.session->user().id);
    mine.setMyUserId(client.session->user().id);
    QAbstractItemModelTester t1(&waiting, QAbstractItemModelTester::FailureReportingMode::Fatal);
    QAbstractItemModelTester t2(&mine, QAbstractItemModelTester::FailureReportingMode::Fatal);
    waiting.setPageSize(2);
    waiting.reload();
    mine.reload();
    // (The tester itself calls fetchMore, so more than one page may be in.)
    ASSERT_TRUE(QTest::qWaitFor([&] { return waiting.rowCount() >= 2 && !waiting.loading(); }, 15000));
    EXPECT_EQ(waiting.data(waiting.index(0), TicketListModel::IdRole).toString(), tickets.last()) << "newest first";
    while (waiting.canFetchMore({})) {
        const int before = waiting.rowCount();
        waiting.fetchMore({});
        ASSERT_TRUE(QTest::qWaitFor([&] { return waiting.rowCount() > before && !waiting.loading(); }, 15000));
    }
    EXPECT_EQ(waiting.rowCount(), 5);
    ASSERT_TRUE(QTest::qWaitFor([&] { return client.directory.pendingContacts() == 0; }, 15000));
    EXPECT_EQ(waiting.data(waiting.index(4), Qt::DisplayRole).toString(), QStringLiteral("Cliente 0"));

    // Live: events move, add and drop rows without a reload.
    QObject::connect(&client.sync, &core::SyncClient::eventReceived, &waiting, [&](const v1::Event &e) {
        if (e.has_ticket_changed()) {
            waiting.applyChange(e.ticket_changed());
            mine.applyChange(e.ticket_changed());
        } else if (e.has_message_changed() && e.message_changed().created()) {
            const v1::Message &m = e.message_changed().message();
            waiting.applyMessage(QString::fromStdString(m.ticket_id()), QString::fromStdString(m.body()),
                                 QDateTime::fromString(QString::fromStdString(m.created_at()), Qt::ISODateWithMs),
                                 m.kind() == "inbound");
        }
    });
    client.startSync(server);
    ASSERT_TRUE(QTest::qWaitFor([&] { return client.sync.online(); }, 15000));
    server.customerSays(phone(0), QStringLiteral("Cliente 0"), QStringLiteral("ainda esperando"));
    ASSERT_TRUE(QTest::qWaitFor(
        [&] { return waiting.data(waiting.index(0), TicketListModel::IdRole).toString() == tickets.first(); }, 15000))
        << "the ticket with the new message moves to the top";
    const QString fresh = server.customerSays(phone(9), QStringLiteral("Nova"), QStringLiteral("oi"))
                              .value(QStringLiteral("ticketId"))
                              .toString();
    ASSERT_TRUE(QTest::qWaitFor([&] { return waiting.rowOf(fresh) == 0; }, 15000));
    EXPECT_EQ(waiting.rowCount(), 6);

    v1::AcceptTicketRequest accept;
    accept.set_id(tickets.at(2).toStdString());
    client.api.callRaw(core::ops::kAccept, accept, nullptr, [](const core::ApiError *, const QByteArray &) {});
    ASSERT_TRUE(
        QTest::qWaitFor([&] { return waiting.rowOf(tickets.at(2)) < 0 && mine.rowOf(tickets.at(2)) == 0; }, 15000));
    EXPECT_EQ(waiting.rowCount(), 5);
    EXPECT_EQ(mine.data(mine.index(0), TicketListModel::StateRole).toString(), QStringLiteral("in_service"));
}

TEST(ConversationModel, BoundedWindowPagesBothWaysAndTakesLiveMessages)
{
    RealServer server;
    ASSERT_EQ(server.start(), QString());
    QString ticket;
    for (int i = 0; i < 260; ++i)
        ticket = server.customerSays(phone(1), QStringLiteral("Longa"), QStringLiteral("mensagem %1").arg(i))
                     .value(QStringLiteral("ticketId"))
                     .toString();
    ClientHarness client;
    ASSERT_TRUE(client.signIn(server, QStringLiteral("agent")));
    ConversationModel model(&client.api);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setPageSize(50);
    model.setMaxMessages(120);
    QSignalSpy opened(&model, &ConversationModel::opened);
    model.setTicket(ticket);
    ASSERT_TRUE(QTest::qWaitFor([&] { return opened.count() == 1; }, 15000));
    ASSERT_EQ(model.rowCount(), 50);
    EXPECT_EQ(model.data(model.index(49)).toString(), QStringLiteral("mensagem 259"));
    EXPECT_TRUE(model.hasOlder());
    EXPECT_FALSE(model.hasNewer());
    EXPECT_TRUE(model.data(model.index(0), ConversationModel::DayBreakRole).toBool());

    // Scroll back: pages are prepended, the window never exceeds its bound, the far end is dropped.
    int loads = 0;
    while (model.hasOlder()) {
        QSignalSpy older(&model, &ConversationModel::olderLoaded);
        model.loadOlder();
        ASSERT_TRUE(QTest::qWaitFor([&] { return older.count() == 1; }, 15000));
        EXPECT_LE(model.rowCount(), 120 + 50);
        ++loads;
    }
    EXPECT_EQ(loads, 5);
    EXPECT_EQ(model.data(model.index(0)).toString(), QStringLiteral("mensagem 0"));
    EXPECT_TRUE(model.hasNewer()) << "the newest pages were dropped";

    while (model.hasNewer()) {
        QSignalSpy newer(&model, &ConversationModel::newerLoaded);
        model.loadNewer();
        ASSERT_TRUE(QTest::qWaitFor([&] { return newer.count() == 1; }, 15000));
        EXPECT_LE(model.rowCount(), 120 + 50);
    }
    EXPECT_EQ(model.data(model.index(model.rowCount() - 1)).toString(), QStringLiteral("mensagem 259"));

    // A live message is appended, a status change updates the row in place (new revision).
    QObject::connect(&client.sync, &core::SyncClient::eventReceived, &model, [&](const v1::Event &e) {
        if (e.has_message_changed())
            model.applyMessage(e.message_changed().message(), e.message_changed().created());
    });
    client.startSync(server);
    ASSERT_TRUE(QTest::qWaitFor([&] { return client.sync.online(); }, 15000));
    server.customerSays(phone(1), QStringLiteral("Longa"), QStringLiteral("e agora?"));
    ASSERT_TRUE(QTest::qWaitFor(
        [&] { return model.data(model.index(model.rowCount() - 1)).toString() == QStringLiteral("e agora?"); }, 15000));

    v1::AcceptTicketRequest accept;
    accept.set_id(ticket.toStdString());
    bool accepted = false;
    client.api.callRaw(core::ops::kAccept, accept, nullptr,
                       [&](const core::ApiError *e, const QByteArray &) { accepted = e == nullptr; });
    ASSERT_TRUE(QTest::qWaitFor([&] { return accepted; }, 15000));
    v1::SendMessageRequest send;
    send.set_ticket_id(ticket.toStdString());
    send.set_body("Olá, posso ajudar?");
    std::optional<core::ApiResult<v1::Message>> sent;
    client.api.call<v1::Message>(core::ops::kSendMessage, send, nullptr,
                                 [&](const core::ApiResult<v1::Message> &r) { sent = r; });
    ASSERT_TRUE(QTest::qWaitFor([&] { return sent.has_value(); }, 15000));
    ASSERT_TRUE(sent->ok());
    model.applyMessage(sent->value, true);
    const int row = model.rowOf(QString::fromStdString(sent->value.id()));
    ASSERT_GE(row, 0);
    // The test connector sends it: the status moves on through MessageChanged events.
    ASSERT_TRUE(QTest::qWaitFor(
        [&] {
            return model.data(model.index(row), ConversationModel::StatusRole).toString() != QStringLiteral("pending");
        },
        15000));
    EXPECT_GT(model.data(model.index(row), ConversationModel::RevisionRole).toInt(), 0);
}

// The conversation view keeps the message on screen where it was while older pages are put in front of it.
TEST(ConversationPanel, OlderPagesDoNotMoveWhatIsOnScreen)
{
    RealServer server;
    ASSERT_EQ(server.start(), QString());
    QString ticket;
    for (int i = 0; i < 200; ++i)
        ticket = server.customerSays(phone(2), QStringLiteral("Âncora"), QStringLiteral("linha %1").arg(i))
                     .value(QStringLiteral("ticketId"))
                     .toString();
    ClientHarness client;
    ASSERT_TRUE(client.signIn(server, QStringLiteral("agent")));
    ConversationModel model(&client.api);
    model.setPageSize(40);
    console::ConversationPanel panel(&model);
    panel.resize(700, 500);
    panel.show();
    QSignalSpy opened(&model, &ConversationModel::opened);
    model.setTicket(ticket);
    ASSERT_TRUE(QTest::qWaitFor([&] { return opened.count() == 1; }, 15000));
    QTest::qWait(100);
    QListView *view = panel.view();
    // Scroll up step by step (as a wheel would) until the first older page arrives.
    QSignalSpy older(&model, &ConversationModel::olderLoaded);
    QString topBefore;
    int offsetBefore = 0;
    while (older.isEmpty()) {
        const QModelIndex top = view->indexAt(QPoint(10, 2));
        ASSERT_TRUE(top.isValid());
        topBefore = top.data(ConversationModel::IdRole).toString();
        offsetBefore = view->visualRect(top).top();
        view->verticalScrollBar()->setValue(view->verticalScrollBar()->value() - 40);
        QTest::qWait(20);
        if (view->verticalScrollBar()->value() == 0) {
            ASSERT_TRUE(QTest::qWaitFor([&] { return !older.isEmpty(); }, 15000));
        }
    }
    QTest::qWait(50);
    const int row = model.rowOf(topBefore);
    ASSERT_GE(row, 40) << "the page went in front of it";
    const QRect now = view->visualRect(model.index(row));
    EXPECT_NEAR(now.top(), offsetBefore, 45) << "the message stays where the agent was reading";
    EXPECT_GT(view->verticalScrollBar()->value(), 0);
}
