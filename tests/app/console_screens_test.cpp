// Screenshots of the whole console in a real X window (run under Xvfb with QT_QPA_PLATFORM=xcb and
// ATENDE_SHOTS_DIR set; skipped otherwise): light and dark, with a conversation, the details column with a
// timeline and an earlier ticket, the filter bar, a context menu and the emoji picker; emoji in the messages,
// the previews, the quote and the composer (in colour). Run it once with
// QT_SCALE_FACTOR=2 for 200 %. The pictures are for a person to look at; the test checks that they were
// taken from the screen (not blank).

#include "app/console/composer.h"
#include "app/console/console_window.h"
#include "app/console/conversation_panel.h"
#include "app/console/details_panel.h"
#include "app/console/emoji_picker.h"
#include "app/console/sign_in_page.h"
#include "app/console/ticket_list_panel.h"
#include "app/core/app_context.h"
#include "app/core/directory.h"
#include "app/models/conversation_model.h"
#include "tests/app/real_server.h"

#include <QAction>
#include <QApplication>
#include <QDir>
#include <QGuiApplication>
#include <QImage>
#include <QLineEdit>
#include <QListView>
#include <QListWidget>
#include <QMenu>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScreen>
#include <QStandardPaths>
#include <QTest>
#include <gtest/gtest.h>

#include "tests/app/type_text.h"

using namespace atende::app;
using atende::test::RealServer;
using models::TicketListModel;

namespace {

QString shotsDir()
{
    return qEnvironmentVariable("ATENDE_SHOTS_DIR");
}

// The X screen as it is (the window, its popups and menus), not a widget's own rendering.
bool shoot(const QString &name)
{
    QTest::qWait(500);
    const QString scale = qEnvironmentVariable("QT_SCALE_FACTOR", QStringLiteral("1"));
    const QString path = QStringLiteral("%1/%2-%3x.png").arg(shotsDir(), name, scale);
    const QImage image = QGuiApplication::primaryScreen()->grabWindow(0).toImage();
    // A blank grab has a colour or two: count them over a grid of pixels.
    QSet<QRgb> colours;
    for (int y = 0; y < image.height(); y += 7)
        for (int x = 0; x < image.width(); x += 7)
            colours.insert(image.pixel(x, y));
    return image.save(path) && colours.size() > 6;
}

QString says(RealServer &server, const QString &connection, const QString &phone, const QString &name,
             const QString &body)
{
    return server
        .call("POST", QStringLiteral("/api/v1/connections/%1/inbound").arg(connection),
              {{QStringLiteral("senderPhone"), phone},
               {QStringLiteral("senderName"), name},
               {QStringLiteral("body"), body}})
        .json()
        .value(QStringLiteral("ticketId"))
        .toString();
}

} // namespace

TEST(ConsoleScreens, WholeWindowLightAndDark)
{
    if (QGuiApplication::platformName() != QLatin1String("xcb") || shotsDir().isEmpty())
        GTEST_SKIP() << "needs Xvfb (QT_QPA_PLATFORM=xcb) and ATENDE_SHOTS_DIR";
    QDir().mkpath(shotsDir());
    QStandardPaths::setTestModeEnabled(true);
    RealServer server;
    ASSERT_EQ(server.start(), QString());
    // Maria wrote before on another number of the shop: an earlier ticket in her history.
    const QString other = server
                              .call("POST", QStringLiteral("/api/v1/connections"),
                                    {{QStringLiteral("name"), QStringLiteral("Loja Centro")},
                                     {QStringLiteral("kind"), QStringLiteral("test")}})
                              .json()
                              .value(QStringLiteral("id"))
                              .toString();
    const QString maria = QStringLiteral("5511987650001");
    const QString earlier =
        says(server, other, maria, QStringLiteral("Maria Silva 🌸"), QStringLiteral("Vocês abrem domingo?"));
    server.call("POST", QStringLiteral("/api/v1/tickets/%1/close").arg(earlier));
    const QString ticket = says(server, server.connectionId(), maria, QStringLiteral("Maria Silva 🌸"),
                                QStringLiteral("Olá, meu pedido 4521 não chegou ainda"));
    server.call("POST", QStringLiteral("/api/v1/tickets/%1/tags").arg(ticket),
                {{QStringLiteral("tag"), QStringLiteral("vip")}});
    says(server, server.connectionId(), QStringLiteral("5511987650002"), QStringLiteral("João Souza"),
         QStringLiteral("Bom dia! ☀️ Qual o horário de atendimento no sábado?"));
    says(server, other, QStringLiteral("5511987650003"), QStringLiteral("Ana Costa"),
         QStringLiteral("Quero trocar o tamanho da camiseta 👕, é possível?"));

    core::StartupOptions options;
    options.serverUrl = server.url();
    core::AppContext context(options);
    console::ConsoleWindow window({context.api(), context.session(), context.sync(), context.directory()});
    window.setThemeMode(ui::ThemeMode::Light);
    const QSize screen = QGuiApplication::primaryScreen()->size();
    window.setGeometry(0, 0, screen.width(), screen.height());
    window.prepareSignIn(server.url(), {});
    window.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&window));
    const auto user = server.user(QStringLiteral("agent"));
    window.signInPage()->emailEdit()->clear();
    atende::test::typeText(window.signInPage()->emailEdit(), user.email);
    atende::test::typeText(window.signInPage()->passwordEdit(), user.password);
    EXPECT_TRUE(shoot(QStringLiteral("sign-in-light")));
    QTest::mouseClick(window.signInPage()->signInButton(), Qt::LeftButton);
    ASSERT_TRUE(QTest::qWaitFor([&] { return window.showingConsole(); }, 15000));
    TicketListModel *waiting = window.ticketPanel()->model(TicketListModel::View::Waiting);
    ASSERT_TRUE(QTest::qWaitFor([&] { return waiting->rowCount() == 3; }, 15000));

    window.openTicket(ticket);
    ASSERT_TRUE(QTest::qWaitFor([&] { return window.action(QStringLiteral("accept"))->isEnabled(); }, 15000));
    window.action(QStringLiteral("accept"))->trigger();
    ASSERT_TRUE(QTest::qWaitFor([&] { return window.action(QStringLiteral("hold"))->isEnabled(); }, 15000));
    console::Composer *composer = window.conversationPanel()->composer();
    atende::test::typeText(composer->editor(), QStringLiteral("Olá Maria! Vou verificar o pedido 4521 👍🏽"));
    QTest::keyClick(composer->editor(), Qt::Key_Return);
    composer->setNoteMode(true);
    atende::test::typeText(composer->editor(), QStringLiteral("Transportadora atrasou, ver com logística"));
    QTest::keyClick(composer->editor(), Qt::Key_Return);
    composer->setNoteMode(false);
    says(server, server.connectionId(), maria, QStringLiteral("Maria Silva 🌸"),
         QStringLiteral("Obrigada! ❤️ Fico no aguardo 🙏😀 1️⃣ 🇧🇷"));
    models::ConversationModel *conversation = window.conversationPanel()->model();
    ASSERT_TRUE(QTest::qWaitFor([&] { return conversation->rowCount() == 4; }, 15000));
    ASSERT_TRUE(QTest::qWaitFor([&] { return window.detailsPanel()->historyList()->count() == 1; }, 15000));
    window.ticketPanel()->setCurrentView(TicketListModel::View::Mine);
    window.ticketPanel()->showFilters(true);
    // Maria's thanks, with its emoji, is the quoted message (rows of the same second come in either order).
    const QModelIndexList thanks =
        conversation->match(conversation->index(0), Qt::DisplayRole, QStringLiteral("Obrigada"), 1);
    ASSERT_EQ(thanks.size(), 1);
    composer->setQuote(thanks.first().data(models::ConversationModel::IdRole).toString(),
                       thanks.first().data().toString());
    atende::test::typeText(composer->editor(), QStringLiteral("Assim que tiver novidades aviso "));
    composer->insertAtCursor(QStringLiteral("😊")); // typeText sends UTF-16 units, not whole emoji

    for (const bool dark : {false, true}) {
        window.setThemeMode(dark ? ui::ThemeMode::Dark : ui::ThemeMode::Light);
        const QString theme = dark ? QStringLiteral("dark") : QStringLiteral("light");
        EXPECT_TRUE(shoot(QStringLiteral("console-") + theme));
        QListView *list = window.ticketPanel()->listView();
        QMenu *menu = window.ticketMenu(ticket);
        menu->popup(list->viewport()->mapToGlobal(list->visualRect(list->model()->index(0, 0)).center()));
        EXPECT_TRUE(shoot(QStringLiteral("ticket-menu-") + theme));
        menu->close();
        delete menu;
        composer->showEmojiPicker();
        EXPECT_TRUE(shoot(QStringLiteral("emoji-") + theme));
        composer->emojiPicker()->close();
    }
    window.setThemeMode(ui::ThemeMode::Light);
}
