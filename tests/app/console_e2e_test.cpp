// End to end: the console against a real atende-server. A customer message injected through
// connections.simulate_inbound appears in Waiting, the agent accepts it and answers by keyboard, and the
// server has the outbound message. Screenshots of the window (light, dark; 200 % when run with
// QT_SCALE_FACTOR=2) are saved under <build>/test-artifacts.

#include "app/console/composer.h"
#include "app/console/console_window.h"
#include "app/console/conversation_panel.h"
#include "app/console/sign_in_page.h"
#include "app/console/ticket_list_panel.h"
#include "app/core/app_context.h"
#include "app/models/conversation_model.h"
#include "tests/app/real_server.h"

#include <QAction>
#include <QApplication>
#include <QDir>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QTest>
#include <gtest/gtest.h>

#include "tests/app/type_text.h"

using namespace atende::app;
using atende::test::RealServer;
using models::TicketListModel;

namespace {

QString artifact(const QString &name)
{
    QDir().mkpath(QStringLiteral(ATENDE_TEST_ARTIFACTS_DIR));
    const QString scale = qEnvironmentVariable("QT_SCALE_FACTOR");
    const QString suffix =
        scale.isEmpty() || scale == QLatin1String("1") ? QString() : QStringLiteral("-%1x").arg(scale);
    return QStringLiteral(ATENDE_TEST_ARTIFACTS_DIR "/%1%2.png").arg(name, suffix);
}

bool shoot(QWidget *w, const QString &name)
{
    QTest::qWait(300); // let queued paints and layouts settle
    return w->grab().save(artifact(name));
}

void signIn(console::ConsoleWindow &window, const atende::test::DemoUser &user)
{
    console::SignInPage *page = window.signInPage();
    page->emailEdit()->clear();
    atende::test::typeText(page->emailEdit(), user.email);
    atende::test::typeText(page->passwordEdit(), user.password);
    QTest::mouseClick(page->signInButton(), Qt::LeftButton);
}

} // namespace

TEST(ConsoleE2E, CustomerWritesAgentAcceptsAndRepliesByKeyboard)
{
    QStandardPaths::setTestModeEnabled(true); // QSettings of the test, not of the user
    RealServer server;
    ASSERT_EQ(server.start(), QString());
    server.customerSays(QStringLiteral("5511987650001"), QStringLiteral("Maria Silva"),
                        QStringLiteral("Olá, meu pedido 4521 não chegou ainda"));
    server.customerSays(QStringLiteral("5511987650002"), QStringLiteral("João Souza"),
                        QStringLiteral("Bom dia! Qual o horário de atendimento no sábado?"));

    core::StartupOptions options;
    options.serverUrl = server.url();
    core::AppContext context(options);
    console::ConsoleWindow window({context.api(), context.session(), context.sync(), context.directory()});
    window.setThemeMode(ui::ThemeMode::Light);
    window.resize(1280, 800);
    window.prepareSignIn(server.url(), {});
    window.show();
    QApplication::setActiveWindow(&window);
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&window));
    EXPECT_TRUE(shoot(&window, QStringLiteral("sign-in")));

    signIn(window, server.user(QStringLiteral("agent")));
    ASSERT_TRUE(QTest::qWaitFor([&] { return window.showingConsole(); }, 15000));
    TicketListModel *waiting = window.ticketPanel()->model(TicketListModel::View::Waiting);
    ASSERT_TRUE(QTest::qWaitFor([&] { return waiting->rowCount() == 2; }, 15000));
    ASSERT_TRUE(QTest::qWaitFor([&] { return context.sync()->online(); }, 15000));

    // A new customer writes while the console is open: the ticket appears on top of Waiting, live.
    const QJsonObject inbound = server.customerSays(QStringLiteral("5511987650003"), QStringLiteral("Ana Costa"),
                                                    QStringLiteral("Quero trocar o tamanho da camiseta, é possível?"));
    const QString ticketId = inbound.value(QStringLiteral("ticketId")).toString();
    ASSERT_FALSE(ticketId.isEmpty());
    ASSERT_TRUE(QTest::qWaitFor([&] { return waiting->rowOf(ticketId) == 0; }, 15000));
    ASSERT_TRUE(QTest::qWaitFor(
        [&] { return waiting->data(waiting->index(0), Qt::DisplayRole).toString() == QStringLiteral("Ana Costa"); },
        15000));
    EXPECT_GE(window.notificationsShown(), 1) << "a new waiting ticket in my sectors notifies";

    // Open it with a click, accept it.
    QListView *list = window.ticketPanel()->listView();
    QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, list->visualRect(waiting->index(0)).center());
    ASSERT_TRUE(QTest::qWaitFor([&] { return window.conversationPanel()->model()->rowCount() == 1; }, 15000))
        << "open " << window.openTicketId().toStdString() << " rows "
        << window.conversationPanel()->model()->rowCount();
    EXPECT_EQ(window.openTicketId(), ticketId);
    ASSERT_TRUE(QTest::qWaitFor([&] { return window.action(QStringLiteral("accept"))->isEnabled(); }, 15000));
    window.action(QStringLiteral("accept"))->trigger();
    ASSERT_TRUE(QTest::qWaitFor([&] { return window.action(QStringLiteral("hold"))->isEnabled(); }, 15000))
        << "accepted: the ticket is in service with me; open " << window.openTicketId().toStdString() << " wanted "
        << ticketId.toStdString();
    ASSERT_TRUE(QTest::qWaitFor([&] { return waiting->rowOf(ticketId) < 0; }, 15000));

    // Reply by keyboard: type, Enter.
    QPlainTextEdit *editor = window.conversationPanel()->composer()->editor();
    editor->setFocus();
    const QString reply = QStringLiteral("Olá Ana! É possível sim, vou abrir a troca agora.");
    atende::test::typeText(editor, reply);
    QTest::keyClick(editor, Qt::Key_Return);
    models::ConversationModel *conversation = window.conversationPanel()->model();
    ASSERT_TRUE(QTest::qWaitFor([&] { return conversation->rowCount() == 2; }, 15000));
    EXPECT_EQ(conversation->data(conversation->index(1), models::ConversationModel::KindRole).toString(),
              QStringLiteral("outbound"));
    EXPECT_TRUE(editor->toPlainText().isEmpty());

    // The server has it, as an outbound message of this ticket.
    const QJsonArray messages = server.call("GET", QStringLiteral("/api/v1/tickets/%1/messages").arg(ticketId))
                                    .json()
                                    .value(QStringLiteral("messages"))
                                    .toArray();
    bool found = false;
    for (const QJsonValue &m : messages)
        found |= m.toObject().value(QStringLiteral("kind")).toString() == QLatin1String("outbound") &&
                 m.toObject().value(QStringLiteral("body")).toString() == reply;
    EXPECT_TRUE(found) << "the server stored the reply";
    // And the connector sent it (the tick moves on from pending).
    ASSERT_TRUE(QTest::qWaitFor(
        [&] {
            return conversation->data(conversation->index(1), models::ConversationModel::StatusRole).toString() !=
                   QStringLiteral("pending");
        },
        15000));

    server.customerSays(QStringLiteral("5511987650003"), QStringLiteral("Ana Costa"),
                        QStringLiteral("Perfeito, obrigada! Preciso mandar a nota fiscal?"));
    ASSERT_TRUE(QTest::qWaitFor([&] { return conversation->rowCount() == 3; }, 15000));
    atende::test::typeText(editor, QStringLiteral("Não precisa, só o número do pedido."));
    EXPECT_TRUE(shoot(&window, QStringLiteral("console-light")));
    window.setThemeMode(ui::ThemeMode::Dark);
    EXPECT_TRUE(shoot(&window, QStringLiteral("console-dark")));
    window.setThemeMode(ui::ThemeMode::Light);

    // The session ends on the server (password reset): back to sign-in, and the draft survives.
    server.call("POST", QStringLiteral("/api/v1/users/%1/reset-password").arg(context.session()->user().id));
    context.session()->refresh();
    ASSERT_TRUE(QTest::qWaitFor([&] { return !window.showingConsole(); }, 15000));
    EXPECT_FALSE(window.signInPage()->errorLabel()->isHidden());
}
