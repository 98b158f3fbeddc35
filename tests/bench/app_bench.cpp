// Desktop console benchmark (issue 7), in-process against an atende-server on its embedded database seeded
// with --tickets tickets (80 % closed) and one conversation of --long messages (tests/bench/desk_seed):
//   1. cold start: process start -> console signed in with the Waiting list loaded and painted;
//   2. opening the long conversation (first page painted) and scrolling back through --scroll messages:
//      frame time of every scroll step (scroll + layout + paint), p50/p95/p99, older pages loading meanwhile;
//   3. the Closed list loaded to its end (--tickets * 0.8 rows) and scrolled top to bottom: frame times;
//   resident memory after each. Offscreen rendering (QT_QPA_PLATFORM=offscreen unless set).
//
// --emoji-every N appends emoji to every Nth message of the long conversation and every Nth ticket preview
// (colour emoji take another text path in the delegates).
//
//   atende_app_bench --server-binary PATH [--tickets 12500] [--long 100000] [--scroll 10000] [--emoji-every 0]

#include "app/console/console_window.h"
#include "app/console/conversation_panel.h"
#include "app/console/ticket_list_panel.h"
#include "app/core/app_context.h"
#include "app/models/conversation_model.h"
#include "tests/bench/bench_support.h"
#include "tests/bench/desk_seed.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QListView>
#include <QRegularExpression>
#include <QScrollBar>
#include <QStandardPaths>
#include <QTest>
#include <cstdio>
#include <unistd.h>

using namespace atende;
using namespace atende::bench;
using app::models::TicketListModel;

namespace {

QHash<QString, QPair<QString, QString>> demoSignIns(const QByteArray &out)
{
    QHash<QString, QPair<QString, QString>> users;
    static const QRegularExpression line(QStringLiteral("^\\s+(admin|supervisor|agent)\\s+(\\S+@\\S+)\\s+(\\S+)\\s*$"));
    for (const QByteArray &l : out.split('\n')) {
        const QRegularExpressionMatch m = line.match(QString::fromUtf8(l));
        if (m.hasMatch())
            users.insert(m.captured(1), {m.captured(2), m.captured(3)});
    }
    return users;
}

double mib(qint64 bytes)
{
    return double(bytes) / 1048576.0;
}

void printFrames(const char *what, std::vector<qint64> &frames, int rowsPassed)
{
    const size_t n = frames.size();
    std::printf("%-34s frames %6zu  p50 %6.2f ms  p95 %6.2f ms  p99 %6.2f ms  max %7.2f ms  rows %d  RSS %.0f MiB\n",
                what, n, percentileMs(frames, 0.5), percentileMs(frames, 0.95), percentileMs(frames, 0.99),
                percentileMs(frames, 1.0), rowsPassed, mib(rssOfPid(::getpid())));
    std::fflush(stdout);
}

// One frame: move the scroll bar, let queued work run, paint the viewport now.
qint64 frame(QListView *view, int delta)
{
    QElapsedTimer t;
    t.start();
    QScrollBar *bar = view->verticalScrollBar();
    bar->setValue(bar->value() + delta);
    QCoreApplication::processEvents();
    view->viewport()->repaint();
    return t.nsecsElapsed();
}

} // namespace

int main(int argc, char **argv)
{
    QElapsedTimer sinceStart;
    sinceStart.start();
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication application(argc, argv);
    QCommandLineParser p;
    p.addOption({QStringLiteral("server-binary"), QStringLiteral("atende-server to start"), QStringLiteral("path")});
    p.addOption(
        {QStringLiteral("tickets"), QStringLiteral("tickets to seed"), QStringLiteral("n"), QStringLiteral("12500")});
    p.addOption({QStringLiteral("long"), QStringLiteral("messages of the long conversation"), QStringLiteral("n"),
                 QStringLiteral("100000")});
    p.addOption({QStringLiteral("scroll"), QStringLiteral("messages to scroll back through"), QStringLiteral("n"),
                 QStringLiteral("10000")});
    p.addOption({QStringLiteral("emoji-every"), QStringLiteral("emoji in every nth message and preview (0: none)"),
                 QStringLiteral("n"), QStringLiteral("0")});
    p.addHelpOption();
    p.process(application);
    const qint64 processStartMs = sinceStart.elapsed();
    QStandardPaths::setTestModeEnabled(true);

    // --- setup (not measured) ----------------------------------------------------------------------------
    BenchServer server;
    if (!server.start(p.value(QStringLiteral("server-binary")))) {
        std::fprintf(stderr, "server did not become ready\n");
        return 1;
    }
    const auto users = demoSignIns(
        server.runCommand({QStringLiteral("admin"), QStringLiteral("demo"), QStringLiteral("--slug=bench")}));
    if (users.size() < 3) {
        std::fprintf(stderr, "admin demo did not print the sign-ins\n");
        return 1;
    }
    const int tickets = p.value(QStringLiteral("tickets")).toInt();
    const int longConversation = p.value(QStringLiteral("long")).toInt();
    QString error;
    const DeskSeed seed =
        seedDesk(server.dataDir(), QStringLiteral("bench"), users.value(QStringLiteral("agent")).first, tickets,
                 longConversation + tickets, longConversation, &error);
    if (!error.isEmpty()) {
        std::fprintf(stderr, "seeding failed: %s\n", qPrintable(error));
        return 1;
    }
    const int emojiEvery = p.value(QStringLiteral("emoji-every")).toInt();
    if (emojiEvery > 0 && !addEmoji(server.dataDir(), QStringLiteral("bench"), emojiEvery, &error)) {
        std::fprintf(stderr, "adding emoji failed: %s\n", qPrintable(error));
        return 1;
    }
    std::printf("seeded %d tickets, %lld messages (%d in one conversation, emoji in every %d) in %.0f s\n",
                seed.tickets, seed.messages, longConversation, emojiEvery, seed.seconds);
    const QUrl url(QStringLiteral("http://127.0.0.1:%1").arg(server.port()));

    // --- 1. cold start -----------------------------------------------------------------------------------
    QElapsedTimer coldStart;
    coldStart.start();
    app::core::StartupOptions options;
    options.serverUrl = url;
    app::core::AppContext context(options);
    app::console::ConsoleWindow window({context.api(), context.session(), context.sync(), context.directory()});
    window.resize(1280, 800);
    window.prepareSignIn(url, {});
    window.show();
    // The supervisor: sees every sector, so the Closed list holds 80 % of all tickets.
    const auto agent = users.value(QStringLiteral("supervisor"));
    context.session()->signIn(url, agent.first, agent.second, false);
    TicketListModel *waiting = window.ticketPanel()->model(TicketListModel::View::Waiting);
    if (!QTest::qWaitFor([&] { return window.showingConsole() && waiting->rowCount() > 0; }, 30000)) {
        std::fprintf(stderr, "the console did not come up\n");
        return 1;
    }
    window.ticketPanel()->listView()->viewport()->repaint();
    const qint64 usableMs = coldStart.elapsed();
    // The real-time channel's first resync reloads the lists: let it pass before measuring the rest.
    (void)QTest::qWaitFor([&] { return context.sync()->online(); }, 30000);
    QTest::qWait(500);
    std::printf("%-34s %6lld ms after the app objects (%lld ms after process start; sign-in included)  RSS %.0f MiB\n",
                "cold start to usable console", usableMs, usableMs + processStartMs, mib(rssOfPid(::getpid())));

    // --- 2. the long conversation ------------------------------------------------------------------------
    app::models::ConversationModel *conversation = window.conversationPanel()->model();
    QListView *chat = window.conversationPanel()->view();
    QElapsedTimer open;
    open.start();
    window.openTicket(seed.longTicketId.toString(QUuid::WithoutBraces));
    if (!QTest::qWaitFor([&] { return conversation->rowCount() > 0 && !conversation->loading(); }, 30000)) {
        std::fprintf(stderr, "the conversation did not open\n");
        return 1;
    }
    chat->viewport()->repaint();
    std::printf("%-34s %6lld ms (first page of %d painted)  RSS %.0f MiB\n", "open 100k-message conversation",
                open.elapsed(), conversation->rowCount(), mib(rssOfPid(::getpid())));

    const int target = p.value(QStringLiteral("scroll")).toInt();
    int passed = 0;
    int loadedOlder = 0;
    QObject::connect(conversation, &app::models::ConversationModel::olderLoaded, &window,
                     [&](int n) { loadedOlder += n; });
    std::vector<qint64> frames;
    const int startTop = chat->indexAt(QPoint(10, 10)).row();
    QElapsedTimer wall;
    wall.start();
    const int step = -chat->fontMetrics().height() * 3; // a wheel notch
    while (passed < target && wall.elapsed() < 600'000) {
        if (chat->verticalScrollBar()->value() == 0) {
            if (!conversation->hasOlder())
                break;
            (void)QTest::qWaitFor([&] { return !conversation->loading(); }, 30000); // the network
        }
        frames.push_back(frame(chat, step));
        const QModelIndex top = chat->indexAt(QPoint(10, 10));
        if (top.isValid()) // prepended pages shift rows by what they brought
            passed = startTop + loadedOlder - top.row();
    }
    printFrames("scroll back through conversation", frames, passed);
    std::printf("  the window holds %d rows (bound %d) after passing %d messages\n", conversation->rowCount(),
                conversation->maxMessages(), passed);

    // --- 3. the closed list ------------------------------------------------------------------------------
    window.ticketPanel()->setCurrentView(TicketListModel::View::Closed);
    TicketListModel *closed = window.ticketPanel()->model(TicketListModel::View::Closed);
    closed->setPageSize(200);
    QElapsedTimer listLoad;
    listLoad.start();
    closed->reload();
    while (true) {
        (void)QTest::qWaitFor([&] { return !closed->loading(); }, 30000);
        if (!closed->canFetchMore({}))
            break;
        closed->fetchMore({});
    }
    std::printf("%-34s %6lld ms for %d tickets  RSS %.0f MiB\n", "load Closed list to the end", listLoad.elapsed(),
                closed->rowCount(), mib(rssOfPid(::getpid())));
    QListView *list = window.ticketPanel()->listView();
    QCoreApplication::processEvents();
    list->doItemsLayout();
    list->scrollToTop();
    std::vector<qint64> listFrames;
    const int listStep = list->fontMetrics().height() * 3;
    while (list->verticalScrollBar()->value() < list->verticalScrollBar()->maximum())
        listFrames.push_back(frame(list, listStep));
    printFrames("scroll the 10k-ticket list", listFrames, closed->rowCount());
    std::printf("server RSS %.0f MiB\n", mib(rssOfPid(server.pid())));
    server.stop();
    return 0;
}
