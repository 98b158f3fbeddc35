// The desktop console end to end with WhatsApp (issue 7, labels e2e and gui): Baileys 7.0.0-rc14 is the
// customer's phone, atende-wasim the network, atende-server (WhatsApp connector, desk, API) a real process,
// and the agent works in a real ConsoleWindow driven by mouse and keyboard. The customer's message appears in
// Waiting, the agent accepts it and answers by typing, Baileys decrypts exactly that text, and the delivery
// tick reaches the console. A screenshot is saved under <build>/test-artifacts.

#include "app/console/composer.h"
#include "app/console/console_window.h"
#include "app/console/conversation_panel.h"
#include "app/console/sign_in_page.h"
#include "app/console/ticket_list_panel.h"
#include "app/core/app_context.h"
#include "app/models/conversation_model.h"
#include "tests/app/type_text.h"
#include "tests/e2e/e2e_env.h"

#include <QAction>
#include <QApplication>
#include <QDir>
#include <QLineEdit>
#include <QListView>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QStandardPaths>
#include <QTabBar>
#include <QTest>

using namespace atende::app;
using namespace atende::e2e;
using models::ConversationModel;
using models::TicketListModel;

class E2eConsole : public E2eTest {};

TEST_F(E2eConsole, WhatsAppCustomerWritesAgentAcceptsAndRepliesByKeyboard)
{
    QStandardPaths::setTestModeEnabled(true); // QSettings of the test, not of the user
    const QUrl url(QStringLiteral("http://127.0.0.1:%1").arg(serverPort()));
    core::StartupOptions options;
    options.serverUrl = url;
    core::AppContext context(options);
    console::ConsoleWindow window({context.api(), context.session(), context.sync(), context.directory()});
    window.setThemeMode(ui::ThemeMode::Light);
    window.resize(1280, 800);
    window.prepareSignIn(url, {});
    window.show();
    QApplication::setActiveWindow(&window);
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&window));

    console::SignInPage *page = window.signInPage();
    page->emailEdit()->clear();
    atende::test::typeText(page->emailEdit(), agentEmail());
    atende::test::typeText(page->passwordEdit(), agentPassword());
    QTest::mouseClick(page->signInButton(), Qt::LeftButton);
    ASSERT_TRUE(QTest::qWaitFor([&] { return window.showingConsole(); }, 15000));
    ASSERT_TRUE(QTest::qWaitFor([&] { return context.sync()->online(); }, 15000));

    // The customer writes on WhatsApp: the ticket appears in Waiting, live, under the customer's push name.
    const QString question = QStringLiteral("Olá! Meu pedido 8812 chegou com a caixa amassada 😕");
    ASSERT_FALSE(customer->send(business(), question).isEmpty()) << customer->diagnostics().toStdString();
    TicketListModel *waiting = window.ticketPanel()->model(TicketListModel::View::Waiting);
    ASSERT_TRUE(QTest::qWaitFor([&] { return waiting->rowCount() == 1; }, 30000));
    EXPECT_EQ(waiting->data(waiting->index(0), Qt::DisplayRole).toString(), QStringLiteral("Cliente Baileys"));

    // Open it with a click, accept it.
    QListView *list = window.ticketPanel()->listView();
    QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, list->visualRect(waiting->index(0)).center());
    ConversationModel *conversation = window.conversationPanel()->model();
    ASSERT_TRUE(QTest::qWaitFor([&] { return conversation->rowCount() == 1; }, 15000));
    EXPECT_EQ(conversation->data(conversation->index(0), ConversationModel::KindRole).toString(),
              QStringLiteral("inbound"));
    ASSERT_TRUE(QTest::qWaitFor([&] { return window.action(QStringLiteral("accept"))->isEnabled(); }, 15000));
    window.action(QStringLiteral("accept"))->trigger();
    ASSERT_TRUE(QTest::qWaitFor([&] { return window.action(QStringLiteral("hold"))->isEnabled(); }, 15000));
    // The tabs follow: nothing waits, one ticket is mine.
    QTabBar *tabs = window.ticketPanel()->findChild<QTabBar *>();
    ASSERT_NE(tabs, nullptr);
    EXPECT_TRUE(QTest::qWaitFor([&] { return tabs->tabText(1).endsWith(QStringLiteral("(1)")); }, 15000))
        << tabs->tabText(1).toStdString();

    // Reply by keyboard: type, Enter. Baileys decrypts exactly that text, from the business number.
    QPlainTextEdit *editor = window.conversationPanel()->composer()->editor();
    editor->setFocus();
    const QString reply = QStringLiteral("Sinto muito! Vou enviar outra unidade hoje mesmo, sem custo. 📦");
    atende::test::typeText(editor, reply);
    QTest::keyClick(editor, Qt::Key_Return);
    ASSERT_TRUE(QTest::qWaitFor([&] { return conversation->rowCount() == 2; }, 15000));
    ASSERT_TRUE(customer->waitFor(
        [&] { return !customer->messagesWithPrefix(QStringLiteral("Sinto muito!")).isEmpty(); }, 30000))
        << customer->diagnostics().toStdString();
    const QList<QJsonObject> got = customer->messagesWithPrefix(QStringLiteral("Sinto muito!"));
    ASSERT_EQ(got.size(), 1);
    EXPECT_EQ(got[0].value(QStringLiteral("text")).toString().toStdString(), reply.toStdString());
    EXPECT_EQ(got[0].value(QStringLiteral("from")).toString(), business() + QStringLiteral("@s.whatsapp.net"));

    // The phone's delivery receipt moves the tick in the console to delivered (or read, if it got that far).
    ASSERT_TRUE(QTest::qWaitFor(
        [&] {
            const QString status = conversation->data(conversation->index(1), ConversationModel::StatusRole).toString();
            return status == QLatin1String("delivered") || status == QLatin1String("read");
        },
        30000))
        << conversation->data(conversation->index(1), ConversationModel::StatusRole).toString().toStdString();

    // The customer answers; it shows up in the open conversation.
    ASSERT_FALSE(customer->send(business(), QStringLiteral("Muito obrigado pela agilidade!")).isEmpty());
    ASSERT_TRUE(QTest::qWaitFor([&] { return conversation->rowCount() == 3; }, 30000));
    QTest::qWait(300); // let queued paints settle
    QDir().mkpath(QStringLiteral(ATENDE_TEST_ARTIFACTS_DIR));
    EXPECT_TRUE(window.grab().save(QStringLiteral(ATENDE_TEST_ARTIFACTS_DIR "/console-whatsapp.png")));
}
