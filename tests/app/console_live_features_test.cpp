// The console's filters, context menus, @mentions, quoted replies and notification sound against a real
// atende-server (tests/app/real_server.h), signed in as the demo agent (sector Suporte only).

#include "app/console/composer.h"
#include "app/console/console_window.h"
#include "app/console/conversation_panel.h"
#include "app/console/notification_sound.h"
#include "app/console/sign_in_page.h"
#include "app/console/ticket_filter_bar.h"
#include "app/console/ticket_list_panel.h"
#include "app/console/typing_notifier.h"
#include "app/core/app_context.h"
#include "app/core/directory.h"
#include "app/core/session.h"
#include "app/models/conversation_model.h"
#include "tests/app/real_server.h"

#include "atende/api/v1/messages.pb.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QJsonArray>
#include <QLineEdit>
#include <QMenu>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabBar>
#include <QTest>
#include <gtest/gtest.h>

#include "tests/app/type_text.h"

using namespace atende::app;
using atende::test::RealServer;
using models::TicketListModel;

namespace {

QAction *find(QMenu *menu, const QString &name)
{
    for (QAction *a : menu->findChildren<QAction *>())
        if (a->objectName() == name)
            return a;
    return nullptr;
}

struct Console {
    core::AppContext context;
    console::ConsoleWindow window;

    explicit Console(RealServer &server)
        : context([&] {
            core::StartupOptions o;
            o.serverUrl = server.url();
            return o;
        }())
        , window({context.api(), context.session(), context.sync(), context.directory()})
    {}

    bool signIn(RealServer &server, const QString &role)
    {
        window.prepareSignIn(server.url(), {});
        window.show();
        console::SignInPage *page = window.signInPage();
        page->emailEdit()->clear();
        atende::test::typeText(page->emailEdit(), server.user(role).email);
        atende::test::typeText(page->passwordEdit(), server.user(role).password);
        QTest::mouseClick(page->signInButton(), Qt::LeftButton);
        return QTest::qWaitFor([&] { return window.showingConsole(); }, 15000) &&
               QTest::qWaitFor([&] { return !context.directory()->users().isEmpty() && context.sync()->online(); },
                               15000);
    }
    TicketListModel *waiting() const { return window.ticketPanel()->model(TicketListModel::View::Waiting); }
};

QString sectorId(RealServer &server, const QString &name)
{
    for (const QJsonValue &s :
         server.call("GET", QStringLiteral("/api/v1/sectors")).json().value(QStringLiteral("sectors")).toArray())
        if (s.toObject().value(QStringLiteral("name")).toString() == name)
            return s.toObject().value(QStringLiteral("id")).toString();
    return {};
}

QJsonObject ticketOnServer(RealServer &server, const QString &id)
{
    return server.call("GET", QStringLiteral("/api/v1/tickets/%1").arg(id)).json();
}

} // namespace

TEST(ConsoleLive, FiltersFollowTheListsCountsAndAreRememberedPerUser)
{
    QStandardPaths::setTestModeEnabled(true);
    QSettings().clear();
    RealServer server;
    ASSERT_EQ(server.start(), QString());
    const auto says = [&](int i, const QString &body) {
        return server
            .customerSays(QStringLiteral("55119876500%1").arg(i, 2, 10, QLatin1Char('0')),
                          QStringLiteral("Cliente %1").arg(i), body)
            .value(QStringLiteral("ticketId"))
            .toString();
    };
    const QString vip = says(1, QStringLiteral("oi"));
    const QString support = says(2, QStringLiteral("preciso de ajuda"));
    says(3, QStringLiteral("bom dia"));
    const QString suporte = sectorId(server, QStringLiteral("Suporte"));
    ASSERT_FALSE(suporte.isEmpty());
    server.call("POST", QStringLiteral("/api/v1/tickets/%1/tags").arg(vip),
                {{QStringLiteral("tag"), QStringLiteral("vip")}});
    server.call("POST", QStringLiteral("/api/v1/tickets/%1/transfer").arg(support),
                {{QStringLiteral("sectorId"), suporte}});
    ASSERT_EQ(ticketOnServer(server, support).value(QStringLiteral("sectorId")).toString(), suporte);

    Console c(server);
    ASSERT_TRUE(c.signIn(server, QStringLiteral("agent")));
    console::TicketListPanel *panel = c.window.ticketPanel();
    QTabBar *tabs = panel->tabBar();
    ASSERT_TRUE(QTest::qWaitFor([&] { return c.waiting()->rowCount() == 3; }, 15000));
    ASSERT_TRUE(QTest::qWaitFor([&] { return tabs->tabText(0).endsWith(QStringLiteral("(3)")); }, 15000))
        << tabs->tabText(0).toStdString();
    EXPECT_FALSE(c.window.action(QStringLiteral("clearFilters"))->isEnabled());

    // By tag, through the palette's action: one ticket, and the tab counts follow the tag too.
    c.window.action(QStringLiteral("filterTag"))->trigger();
    EXPECT_TRUE(panel->filterBar()->isVisible());
    QLineEdit *tagEdit = panel->filterBar()->tagBox()->lineEdit();
    atende::test::typeText(tagEdit, QStringLiteral("vip"));
    QTest::keyClick(tagEdit, Qt::Key_Return);
    ASSERT_TRUE(QTest::qWaitFor([&] { return c.waiting()->rowCount() == 1 && !c.waiting()->loading(); }, 15000));
    EXPECT_EQ(c.waiting()->ticket(0)->id, vip);
    ASSERT_TRUE(QTest::qWaitFor([&] { return tabs->tabText(0).endsWith(QStringLiteral("(1)")); }, 15000))
        << tabs->tabText(0).toStdString();
    ASSERT_TRUE(c.window.action(QStringLiteral("clearFilters"))->isEnabled());
    c.window.action(QStringLiteral("clearFilters"))->trigger();
    ASSERT_TRUE(QTest::qWaitFor([&] { return c.waiting()->rowCount() == 3; }, 15000));

    // By sector: the list and the counts follow, and a new ticket outside the filter stays out.
    QComboBox *sectorBox = panel->filterBar()->sectorBox();
    ASSERT_TRUE(QTest::qWaitFor([&] { return sectorBox->findData(suporte) > 0; }, 15000));
    sectorBox->setCurrentIndex(sectorBox->findData(suporte));
    ASSERT_TRUE(QTest::qWaitFor([&] { return c.waiting()->rowCount() == 1 && !c.waiting()->loading(); }, 15000));
    EXPECT_EQ(c.waiting()->ticket(0)->id, support);
    ASSERT_TRUE(QTest::qWaitFor([&] { return tabs->tabText(0).endsWith(QStringLiteral("(1)")); }, 15000))
        << tabs->tabText(0).toStdString();
    const QString later = says(4, QStringLiteral("alguém aí?"));
    QTest::qWait(1500); // the event has arrived by now (the sync test shows it takes milliseconds)
    EXPECT_LT(c.waiting()->rowOf(later), 0) << "a general-queue ticket is not in the Suporte filter";
    EXPECT_EQ(c.waiting()->rowCount(), 1);

    // Remembered for this user: a new console signed in as the same agent starts filtered.
    const QString agentId = c.context.session()->user().id;
    EXPECT_EQ(QSettings().value(QStringLiteral("filters/%1/sector").arg(agentId)).toString(), suporte);
    Console again(server);
    ASSERT_TRUE(again.signIn(server, QStringLiteral("agent")));
    EXPECT_EQ(again.window.ticketPanel()->filter().sectorId, suporte);
    EXPECT_TRUE(again.window.ticketPanel()->filterBar()->isVisible());
    ASSERT_TRUE(
        QTest::qWaitFor([&] { return again.waiting()->rowCount() == 1 && !again.waiting()->loading(); }, 15000));
    // Another user on the same computer has their own (none).
    Console supervisor(server);
    ASSERT_TRUE(supervisor.signIn(server, QStringLiteral("supervisor")));
    EXPECT_TRUE(supervisor.window.ticketPanel()->filter().isEmpty());
}

TEST(ConsoleLive, ContextMenusMentionsQuotesAndSound)
{
    QStandardPaths::setTestModeEnabled(true);
    QSettings().clear();
    RealServer server;
    ASSERT_EQ(server.start(), QString());
    const QString body = QStringLiteral("Meu pedido 4521 não chegou");
    const QString ticket = server.customerSays(QStringLiteral("5511987650101"), QStringLiteral("Maria Silva"), body)
                               .value(QStringLiteral("ticketId"))
                               .toString();
    server.call("POST", QStringLiteral("/api/v1/tickets/%1/tags").arg(ticket),
                {{QStringLiteral("tag"), QStringLiteral("vip")}});
    Console c(server);
    ASSERT_TRUE(c.signIn(server, QStringLiteral("agent")));
    ASSERT_TRUE(QTest::qWaitFor([&] { return c.waiting()->rowOf(ticket) >= 0; }, 15000));

    // A waiting ticket, right-clicked: accept, nothing that needs it to be mine.
    std::unique_ptr<QMenu> menu(c.window.ticketMenu(ticket));
    ASSERT_TRUE(find(menu.get(), QStringLiteral("accept")));
    EXPECT_TRUE(find(menu.get(), QStringLiteral("accept"))->isEnabled());
    for (const char *name : {"transfer", "hold", "close", "reopen", "tag", "untag"})
        EXPECT_FALSE(find(menu.get(), QLatin1String(name)) && find(menu.get(), QLatin1String(name))->isEnabled())
            << name;
    EXPECT_TRUE(find(menu.get(), QStringLiteral("openContact"))->isEnabled());
    find(menu.get(), QStringLiteral("accept"))->trigger();
    ASSERT_TRUE(QTest::qWaitFor(
        [&] { return c.window.openTicketId() == ticket && c.window.action(QStringLiteral("hold"))->isEnabled(); },
        15000));
    EXPECT_EQ(ticketOnServer(server, ticket).value(QStringLiteral("state")).toString(), QStringLiteral("in_service"));

    // Now it is mine: the same menu offers hold, close, transfer, tags, and not accept; as the tool bar.
    menu.reset(c.window.ticketMenu(ticket));
    for (const char *name : {"transfer", "hold", "close", "tag", "untag"})
        EXPECT_TRUE(find(menu.get(), QLatin1String(name))->isEnabled()) << name;
    EXPECT_FALSE(find(menu.get(), QStringLiteral("accept"))->isEnabled());
    EXPECT_EQ(find(menu.get(), QStringLiteral("hold"))->isEnabled(),
              c.window.action(QStringLiteral("hold"))->isEnabled());
    find(menu.get(), QStringLiteral("untag"))->trigger();
    ASSERT_TRUE(QTest::qWaitFor(
        [&] { return ticketOnServer(server, ticket).value(QStringLiteral("tags")).toArray().isEmpty(); }, 15000));

    // My typing goes to the customer (tickets.typing) for messages on my ticket, not for notes; sending ends it.
    console::Composer *typingIn = c.window.conversationPanel()->composer();
    QSignalSpy typing(c.window.typingNotifier(), &console::TypingNotifier::composingChanged);
    typingIn->setNoteMode(true);
    atende::test::typeText(typingIn->editor(), QStringLiteral("nota"));
    EXPECT_EQ(typing.count(), 0) << "a note is not typing the customer sees";
    typingIn->editor()->clear();
    typingIn->setNoteMode(false);
    atende::test::typeText(typingIn->editor(), QStringLiteral("Ol"));
    ASSERT_EQ(typing.count(), 1);
    EXPECT_EQ(typing.at(0), (QList<QVariant>{ticket, true}));
    typingIn->editor()->clear();
    ASSERT_EQ(typing.count(), 2) << "an emptied composer is no typing";
    EXPECT_EQ(typing.at(1), (QList<QVariant>{ticket, false}));

    // The customer's message: reply (quoting it) and copy.
    models::ConversationModel *conversation = c.window.conversationPanel()->model();
    ASSERT_TRUE(QTest::qWaitFor([&] { return conversation->rowCount() == 1; }, 15000));
    const QModelIndex inbound = conversation->index(0);
    menu.reset(c.window.messageMenu(inbound));
    ASSERT_TRUE(find(menu.get(), QStringLiteral("reply")) && find(menu.get(), QStringLiteral("reply"))->isEnabled());
    EXPECT_FALSE(find(menu.get(), QStringLiteral("retry"))) << "only a failed message can be retried";
    find(menu.get(), QStringLiteral("copy"))->trigger();
    EXPECT_EQ(QGuiApplication::clipboard()->text(), body);
    find(menu.get(), QStringLiteral("reply"))->trigger();
    console::Composer *composer = c.window.conversationPanel()->composer();
    EXPECT_EQ(composer->quotedId(), inbound.data(models::ConversationModel::IdRole).toString());
    atende::test::typeText(composer->editor(), QStringLiteral("Vou verificar agora"));
    QTest::keyClick(composer->editor(), Qt::Key_Return);
    ASSERT_TRUE(QTest::qWaitFor([&] { return conversation->rowCount() == 2; }, 15000));
    EXPECT_EQ(conversation->index(1).data(models::ConversationModel::QuotedRole).toString(), body)
        << "the server stored the quote";

    // A failed outbound message offers retry (the test connector does not fail on request, so the model is
    // given one as a MessageChanged event would).
    atende::api::v1::Message failed;
    failed.set_id("00000000-0000-4000-8000-000000000001");
    failed.set_ticket_id(ticket.toStdString());
    failed.set_kind("outbound");
    failed.set_status("failed");
    failed.set_body("x");
    failed.set_created_at(QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs).toStdString());
    conversation->applyMessage(failed, true);
    ASSERT_EQ(conversation->rowCount(), 3);
    menu.reset(c.window.messageMenu(conversation->index(2)));
    ASSERT_TRUE(find(menu.get(), QStringLiteral("retry")));
    EXPECT_TRUE(find(menu.get(), QStringLiteral("retry"))->isEnabled());

    // A note mentioning the supervisor: typed with @, sent with the supervisor's id.
    composer->setNoteMode(true);
    composer->editor()->setFocus();
    atende::test::typeText(composer->editor(), QStringLiteral("@s"));
    ASSERT_TRUE(composer->mentionsShown());
    EXPECT_EQ(composer->shownMentions(), QStringList{QStringLiteral("Sérgio Supervisor")});
    QTest::keyClick(composer->editor(), Qt::Key_Return);
    atende::test::typeText(composer->editor(), QStringLiteral("cliente VIP"));
    QTest::keyClick(composer->editor(), Qt::Key_Return);
    QString supervisorId;
    for (const core::UserInfo &u : c.context.directory()->users())
        if (u.role == QLatin1String("supervisor"))
            supervisorId = u.id;
    ASSERT_TRUE(QTest::qWaitFor(
        [&] {
            const QJsonArray messages = server.call("GET", QStringLiteral("/api/v1/tickets/%1/messages").arg(ticket))
                                            .json()
                                            .value(QStringLiteral("messages"))
                                            .toArray();
            for (const QJsonValue &m : messages)
                if (m.toObject().value(QStringLiteral("kind")).toString() == QLatin1String("note"))
                    return m.toObject().value(QStringLiteral("mentions")).toArray() == QJsonArray{supervisorId} &&
                           m.toObject().value(QStringLiteral("body")).toString() ==
                               QStringLiteral("@Sérgio Supervisor cliente VIP");
            return false;
        },
        15000));

    // Sound: a new waiting ticket plays it; not with the sound off, nothing at all with do-not-disturb.
    console::NotificationSound *sound = c.window.sound();
    int requests = sound->requests();
    int shown = c.window.notificationsShown();
    server.customerSays(QStringLiteral("5511987650102"), QStringLiteral("João"), QStringLiteral("oi"));
    ASSERT_TRUE(QTest::qWaitFor([&] { return sound->requests() == requests + 1; }, 15000));
    EXPECT_EQ(c.window.notificationsShown(), shown + 1);
    c.window.action(QStringLiteral("notifySound"))->setChecked(false);
    EXPECT_FALSE(QSettings().value(QStringLiteral("notifications/notifySound")).toBool()) << "remembered";
    server.customerSays(QStringLiteral("5511987650103"), QStringLiteral("Rita"), QStringLiteral("oi"));
    ASSERT_TRUE(QTest::qWaitFor([&] { return c.window.notificationsShown() == shown + 2; }, 15000));
    EXPECT_EQ(sound->requests(), requests + 1) << "sound off: notified in silence";
    c.window.action(QStringLiteral("notifySound"))->setChecked(true);
    c.window.action(QStringLiteral("doNotDisturb"))->setChecked(true);
    const QString quiet =
        server.customerSays(QStringLiteral("5511987650104"), QStringLiteral("Paulo"), QStringLiteral("oi"))
            .value(QStringLiteral("ticketId"))
            .toString();
    ASSERT_TRUE(QTest::qWaitFor([&] { return c.waiting()->rowOf(quiet) >= 0; }, 15000));
    QTest::qWait(200);
    EXPECT_EQ(sound->requests(), requests + 1);
    EXPECT_EQ(c.window.notificationsShown(), shown + 2);
    c.window.action(QStringLiteral("doNotDisturb"))->setChecked(false);
}
