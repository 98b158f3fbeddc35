// ConsoleWindow: the ticket actions, opening a ticket, sending, quick replies.

#include "app/console/command_palette.h"
#include "app/console/console_window.h"
#include "app/console/conversation_panel.h"
#include "app/console/details_panel.h"
#include "app/console/sign_in_page.h"
#include "app/console/ticket_list_panel.h"
#include "app/console/transfer_dialog.h"
#include "app/console/typing_notifier.h"
#include "app/core/api_client.h"
#include "app/core/directory.h"
#include "app/core/proto_text.h"
#include "app/core/session.h"
#include "app/models/conversation_model.h"

#include "atende/api/v1/messages.pb.h"
#include "atende/api/v1/quick_replies.pb.h"
#include "atende/api/v1/tickets.pb.h"

#include <QAction>
#include <QDialog>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QPlainTextEdit>
#include <QSettings>
#include <QStackedWidget>
#include <QStatusBar>
#include <QToolBar>
#include <QUuid>
#include <QVBoxLayout>

namespace atende::app::console {

namespace v1 = atende::api::v1;
using core::qs;

void ConsoleWindow::createActions()
{
    const auto add = [this](const QString &name, const QKeySequence &key, auto slot, bool toolbar = false) {
        auto *a = new QAction(this);
        a->setObjectName(name);
        a->setShortcut(key);
        a->setShortcutContext(Qt::WindowShortcut);
        connect(a, &QAction::triggered, this, slot);
        addAction(a);
        m_actions.insert(name, a);
        if (toolbar)
            m_conversation->toolBar()->addAction(a);
        return a;
    };
    add(
        QStringLiteral("accept"), QKeySequence(Qt::CTRL | Qt::Key_Return),
        [this] { ticketCall("accept", m_openTicketId); }, true);
    add(QStringLiteral("acceptNext"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Return), [this] { acceptNext(); });
    add(
        QStringLiteral("transfer"), QKeySequence(Qt::CTRL | Qt::Key_T), [this] { transfer(m_openTicketId); }, true);
    add(
        QStringLiteral("hold"), QKeySequence(Qt::CTRL | Qt::Key_H), [this] { ticketCall("hold", m_openTicketId); },
        true);
    add(
        QStringLiteral("resume"), QKeySequence(Qt::CTRL | Qt::Key_R), [this] { ticketCall("resume", m_openTicketId); },
        true);
    add(
        QStringLiteral("close"), QKeySequence(Qt::CTRL | Qt::Key_W), [this] { closeTicket(m_openTicketId); }, true);
    add(
        QStringLiteral("reopen"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O),
        [this] { ticketCall("reopen", m_openTicketId); }, true);
    add(QStringLiteral("tag"), QKeySequence(Qt::CTRL | Qt::Key_G), [this] { tagTicket(m_openTicketId); });
    add(QStringLiteral("markRead"), QKeySequence(), [this] { markRead(m_openTicketId); });
    add(QStringLiteral("emoji"), QKeySequence(Qt::CTRL | Qt::Key_E), [this] {
        if (m_conversation->composer()->isEnabled())
            m_conversation->composer()->showEmojiPicker();
    });
    add(QStringLiteral("noteMode"), QKeySequence(Qt::CTRL | Qt::Key_N),
        [this] { m_conversation->composer()->setNoteMode(!m_conversation->composer()->noteMode()); });
    add(QStringLiteral("next"), QKeySequence(Qt::Key_J), [this] { m_tickets->step(1); });
    add(QStringLiteral("previous"), QKeySequence(Qt::Key_K), [this] { m_tickets->step(-1); });
    add(QStringLiteral("search"), QKeySequence(Qt::CTRL | Qt::Key_F), [this] { m_tickets->searchBox()->setFocus(); });
    add(QStringLiteral("focusComposer"), QKeySequence(Qt::Key_R),
        [this] { m_conversation->composer()->editor()->setFocus(); });
    add(QStringLiteral("palette"), QKeySequence(Qt::CTRL | Qt::Key_K), [this] { showCommandPalette(); });
    add(QStringLiteral("shortcuts"), QKeySequence(Qt::Key_F1), [this] { showShortcuts(); });
    auto *dnd = add(QStringLiteral("doNotDisturb"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_D), [] {});
    dnd->setCheckable(true);
    // Do not disturb outlives the session: an agent in a meeting stays quiet after a restart.
    dnd->setChecked(QSettings().value(QStringLiteral("notifications/doNotDisturb"), false).toBool());
    connect(dnd, &QAction::toggled, this,
            [](bool on) { QSettings().setValue(QStringLiteral("notifications/doNotDisturb"), on); });
    // Desktop notifications and their sound can each be turned off (both on by default; DND silences both).
    for (const char *name : {"notifyDesktop", "notifySound"}) {
        auto *toggle = add(QLatin1String(name), QKeySequence(), [] {});
        const QString key = QStringLiteral("notifications/") + QLatin1String(name);
        toggle->setCheckable(true);
        toggle->setChecked(QSettings().value(key, true).toBool());
        connect(toggle, &QAction::toggled, this, [key](bool on) { QSettings().setValue(key, on); });
    }
    add(QStringLiteral("signOut"), QKeySequence(), [this] {
        m_typing->stop();
        m_deps.session->signOut();
        m_signedInUserId.clear();
        m_pages->setCurrentWidget(m_signIn);
    });
    // J, K and R are plain letters: they must not fire while typing.
    for (const char *letter : {"next", "previous", "focusComposer"})
        m_actions.value(QLatin1String(letter))->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    for (const char *letter : {"next", "previous", "focusComposer"}) {
        QAction *a = m_actions.value(QLatin1String(letter));
        removeAction(a);
        m_tickets->listView()->addAction(a);
        m_conversation->view()->addAction(a);
    }
    createFilterActions();
    updateActions();
}

QList<QAction *> ConsoleWindow::allActions() const
{
    QList<QAction *> list;
    for (const char *name : {"accept",           "acceptNext",  "transfer",      "hold",
                             "resume",           "close",       "reopen",        "tag",
                             "markRead",         "noteMode",    "emoji",         "next",
                             "previous",         "search",      "focusComposer", "filterSector",
                             "filterConnection", "filterTag",   "clearFilters",  "doNotDisturb",
                             "notifyDesktop",    "notifySound", "shortcuts",     "signOut"})
        list.append(m_actions.value(QLatin1String(name)));
    return list;
}

void ConsoleWindow::updateActions()
{
    const struct {
        const char *name;
        QString text;
    } texts[] = {
        {"accept", tr("Accept")},
        {"acceptNext", tr("Accept next waiting")},
        {"transfer", tr("Transfer…")},
        {"hold", tr("Hold")},
        {"resume", tr("Resume")},
        {"close", tr("Close…")},
        {"reopen", tr("Reopen")},
        {"tag", tr("Add tag…")},
        {"markRead", tr("Mark as read")},
        {"emoji", tr("Insert emoji…")},
        {"notifyDesktop", tr("Desktop notifications")},
        {"notifySound", tr("Notification sound")},
        {"filterSector", tr("Filter by sector…")},
        {"filterConnection", tr("Filter by connection…")},
        {"filterTag", tr("Filter by tag…")},
        {"clearFilters", tr("Clear filters")},
        {"noteMode", tr("Toggle internal note")},
        {"next", tr("Next ticket")},
        {"previous", tr("Previous ticket")},
        {"search", tr("Search")},
        {"focusComposer", tr("Reply")},
        {"palette", tr("Command palette")},
        {"shortcuts", tr("Keyboard shortcuts")},
        {"doNotDisturb", tr("Do not disturb")},
        {"signOut", tr("Sign out")},
    };
    for (const auto &t : texts)
        m_actions.value(QLatin1String(t.name))->setText(t.text);
    const bool open = !m_openTicketId.isEmpty();
    const QString &s = m_openState;
    const TicketFacts ticket = factsOf(m_openTicketId);
    for (const char *name :
         {ticket_action::kAccept, ticket_action::kTransfer, ticket_action::kHold, ticket_action::kResume,
          ticket_action::kClose, ticket_action::kReopen, ticket_action::kTag, ticket_action::kMarkRead})
        m_actions.value(QLatin1String(name))
            ->setEnabled(open && ticketActionAllowed(QLatin1String(name), ticket, me()));
    // The tool bar shows the moves of the state the ticket is in; the palette lists them all.
    const bool active = s == QLatin1String("in_service") || s == QLatin1String("on_hold");
    m_actions.value(QStringLiteral("accept"))->setVisible(!active && s != QLatin1String("closed"));
    m_actions.value(QStringLiteral("hold"))->setVisible(s != QLatin1String("on_hold"));
    m_actions.value(QStringLiteral("resume"))->setVisible(s == QLatin1String("on_hold"));
    m_actions.value(QStringLiteral("reopen"))->setVisible(s == QLatin1String("closed"));
    updateFilterActions();
    m_conversation->composer()->setEnabled(open);
}

void ConsoleWindow::reportError(const QString &what, const QString &code, const QString &reason)
{
    QString text = tr("%1 failed: %2").arg(what, reason.isEmpty() ? code : reason);
    if (reason == QLatin1String("ticket_already_accepted"))
        text = tr("Another agent accepted this ticket first.");
    else if (code == QLatin1String("not_found") && reason == QLatin1String("queue_empty"))
        text = tr("No ticket is waiting.");
    statusBar()->showMessage(text, 8000);
}

const models::TicketRow *ConsoleWindow::findRow(const QString &ticketId) const
{
    for (auto view : {TicketListPanel::View::Waiting, TicketListPanel::View::Mine, TicketListPanel::View::Team,
                      TicketListPanel::View::Closed}) {
        const models::TicketListModel *model = m_tickets->model(view);
        if (const models::TicketRow *row = model->ticket(model->rowOf(ticketId)))
            return row;
    }
    return nullptr;
}

TicketFacts ConsoleWindow::factsOf(const QString &ticketId) const
{
    if (ticketId.isEmpty())
        return {};
    const models::TicketRow *row = findRow(ticketId);
    if (ticketId == m_openTicketId) // tickets.get's answer, also when the ticket is in no loaded list
        return {m_openState, m_openAssigneeId, row ? row->unread : 0};
    return row ? TicketFacts{row->state, row->assigneeId, row->unread} : TicketFacts{};
}

ActorFacts ConsoleWindow::me() const
{
    return {m_deps.session->user().id, m_deps.session->user().supervises()};
}

bool ConsoleWindow::allowed(const char *action, const QString &ticketId) const
{
    return ticketActionAllowed(QLatin1String(action), factsOf(ticketId), me());
}

void ConsoleWindow::ticketCall(const char *which, const QString &ticketId)
{
    if (ticketId.isEmpty())
        return;
    const QByteArray w(which);
    const std::string id = ticketId.toStdString();
    const auto done = [this, w](const core::ApiResult<v1::Ticket> &r) {
        if (!r.ok()) {
            reportError(QString::fromLatin1(w), r.error->code, r.error->reason());
            return;
        }
        showTicketRow(models::TicketRow::fromProto(r.value));
    };
    if (w == "accept") {
        v1::AcceptTicketRequest req;
        req.set_id(id);
        m_deps.api->call<v1::Ticket>(core::ops::kAccept, req, this, done);
    } else if (w == "hold") {
        v1::HoldTicketRequest req;
        req.set_id(id);
        m_deps.api->call<v1::Ticket>(core::ops::kHold, req, this, done);
    } else if (w == "resume") {
        v1::ResumeTicketRequest req;
        req.set_id(id);
        m_deps.api->call<v1::Ticket>(core::ops::kResume, req, this, done);
    } else if (w == "reopen") {
        v1::ReopenTicketRequest req;
        req.set_id(id);
        m_deps.api->call<v1::Ticket>(core::ops::kReopen, req, this, done);
    }
}

void ConsoleWindow::acceptNext()
{
    m_deps.api->call<v1::Ticket>(core::ops::kAcceptNext, v1::AcceptNextTicketRequest(), this,
                                 [this](const core::ApiResult<v1::Ticket> &r) {
                                     if (!r.ok()) {
                                         reportError(tr("Accept next"), r.error->code, r.error->reason());
                                         return;
                                     }
                                     const models::TicketRow row = models::TicketRow::fromProto(r.value);
                                     showTicketRow(row);
                                     m_tickets->setCurrentView(TicketListPanel::View::Mine);
                                     openTicket(row.id);
                                 });
}

void ConsoleWindow::transfer(const QString &ticketId)
{
    if (ticketId.isEmpty())
        return;
    QList<Choice> sectors;
    for (const core::SectorInfo &s : m_deps.directory->sectors())
        sectors.append({s.id, s.name});
    QList<Choice> agents;
    for (const core::UserInfo &u : m_deps.directory->users())
        if (u.id != m_deps.session->user().id)
            agents.append({u.id, u.name});
    const auto byName = [](const Choice &a, const Choice &b) {
        return a.name.localeAwareCompare(b.name) < 0;
    };
    std::sort(sectors.begin(), sectors.end(), byName);
    std::sort(agents.begin(), agents.end(), byName);
    auto *dialog = new TransferDialog(sectors, agents, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog, ticketId] {
        v1::TransferTicketRequest req;
        req.set_id(ticketId.toStdString());
        req.set_sector_id(dialog->sectorId().toStdString());
        req.set_user_id(dialog->userId().toStdString());
        req.set_reason(dialog->reason().toStdString());
        m_deps.api->call<v1::Ticket>(core::ops::kTransfer, req, this, [this](const core::ApiResult<v1::Ticket> &r) {
            if (!r.ok())
                return reportError(tr("Transfer"), r.error->code, r.error->reason());
            showTicketRow(models::TicketRow::fromProto(r.value));
            statusBar()->showMessage(tr("Ticket transferred."), 5000);
        });
    });
    dialog->open();
}

void ConsoleWindow::closeTicket(const QString &ticketId)
{
    if (ticketId.isEmpty())
        return;
    bool ok = false;
    const QString message = QInputDialog::getText(
        this, tr("Close ticket"), tr("Closing message to the customer (optional):"), QLineEdit::Normal, QString(), &ok);
    if (!ok)
        return;
    v1::CloseTicketRequest req;
    req.set_id(ticketId.toStdString());
    req.set_closing_message(message.trimmed().toStdString());
    m_deps.api->call<v1::Ticket>(core::ops::kClose, req, this, [this](const core::ApiResult<v1::Ticket> &r) {
        if (!r.ok())
            return reportError(tr("Close"), r.error->code, r.error->reason());
        showTicketRow(models::TicketRow::fromProto(r.value));
    });
}

void ConsoleWindow::tagTicket(const QString &ticketId)
{
    if (ticketId.isEmpty())
        return;
    bool ok = false;
    const QString tag = QInputDialog::getText(this, tr("Add tag"), tr("Tag:"), QLineEdit::Normal, {}, &ok).trimmed();
    if (!ok || tag.isEmpty())
        return;
    v1::TagTicketRequest req;
    req.set_id(ticketId.toStdString());
    req.set_tag(tag.toStdString());
    m_deps.api->call<v1::Ticket>(core::ops::kTag, req, this, [this](const core::ApiResult<v1::Ticket> &r) {
        if (!r.ok())
            return reportError(tr("Tag"), r.error->code, r.error->reason());
        showTicketRow(models::TicketRow::fromProto(r.value));
    });
}

void ConsoleWindow::untagTicket(const QString &ticketId, const QString &tag)
{
    v1::TagTicketRequest req;
    req.set_id(ticketId.toStdString());
    req.set_tag(tag.toStdString());
    m_deps.api->call<v1::Ticket>(core::ops::kUntag, req, this, [this](const core::ApiResult<v1::Ticket> &r) {
        if (!r.ok())
            return reportError(tr("Removing the tag"), r.error->code, r.error->reason());
        showTicketRow(models::TicketRow::fromProto(r.value));
    });
}

void ConsoleWindow::markRead(const QString &ticketId)
{
    if (ticketId.isEmpty())
        return;
    v1::MarkReadRequest mark;
    mark.set_ticket_id(ticketId.toStdString());
    m_deps.api->callRaw(core::ops::kMarkRead, mark, this,
                        [this, ticketId](const core::ApiError *error, const QByteArray &) {
                            if (error)
                                return reportError(tr("Mark as read"), error->code, error->reason());
                            // The server sends no TicketChanged for a read: clear the count here.
                            if (const models::TicketRow *row = findRow(ticketId); row && row->unread > 0) {
                                models::TicketRow read = *row;
                                read.unread = 0;
                                showTicketRow(read);
                                updateTray();
                            }
                        });
}

void ConsoleWindow::retryMessage(const QString &messageId)
{
    v1::RetryMessageRequest req;
    req.set_message_id(messageId.toStdString());
    m_deps.api->call<v1::Message>(core::ops::kRetryMessage, req, this, [this](const core::ApiResult<v1::Message> &r) {
        if (!r.ok())
            return reportError(tr("Retrying"), r.error->code, r.error->reason());
        m_conversationModel->applyMessage(r.value, false);
    });
}

void ConsoleWindow::send(const QString &text, bool note, const QString &quotedId, const QStringList &mentionUserIds)
{
    const QString ticketId = m_conversation->composer()->ticketId();
    const auto done = [this, text, ticketId](const core::ApiResult<v1::Message> &r) {
        if (!r.ok()) {
            // Nothing is lost: the text goes back into the composer.
            if (m_conversation->composer()->ticketId() == ticketId && m_conversation->composer()->text().isEmpty())
                m_conversation->composer()->setText(text);
            return reportError(tr("Sending"), r.error->code, r.error->reason());
        }
        if (m_conversationModel->hasNewer())
            m_conversationModel->jumpToNewest();
        m_conversationModel->applyMessage(r.value, true);
    };
    if (note) {
        v1::AddNoteRequest req;
        req.set_ticket_id(ticketId.toStdString());
        req.set_body(text.toStdString());
        for (const QString &id : mentionUserIds)
            req.add_mention_user_ids(id.toStdString());
        m_deps.api->call<v1::Message>(core::ops::kAddNote, req, this, done);
        return;
    }
    v1::SendMessageRequest req;
    req.set_ticket_id(ticketId.toStdString());
    req.set_body(text.toStdString());
    req.set_quoted_id(quotedId.toStdString());
    req.set_client_request_id(QUuid::createUuid().toString(QUuid::WithoutBraces).toStdString());
    m_deps.api->call<v1::Message>(core::ops::kSendMessage, req, this, done);
}

void ConsoleWindow::sendTyping(const QString &ticketId, bool composing)
{
    // Ephemeral: a lost one is replaced by the next (or by the customer's app timing it out).
    v1::SetTypingRequest req;
    req.set_ticket_id(ticketId.toStdString());
    req.set_composing(composing);
    m_deps.api->callRaw(core::ops::kSetTyping, req, this, [](const core::ApiError *, const QByteArray &) {});
}

void ConsoleWindow::loadQuickReplies()
{
    m_deps.api->call<v1::ListQuickRepliesResponse>(
        core::ops::kListQuickReplies, v1::ListQuickRepliesRequest(), this,
        [this](const core::ApiResult<v1::ListQuickRepliesResponse> &r) {
            if (!r.ok())
                return;
            QList<QuickReplyItem> items;
            for (const v1::QuickReply &q : r.value.quick_replies())
                items.append({qs(q.id()), qs(q.shortcut()), qs(q.title()), qs(q.body())});
            m_conversation->composer()->setQuickReplies(items);
        });
}

void ConsoleWindow::chooseQuickReply(const QuickReplyItem &reply)
{
    v1::RenderQuickReplyRequest req;
    req.set_id(reply.id.toStdString());
    req.set_ticket_id(m_openTicketId.toStdString());
    const QString ticketId = m_openTicketId;
    m_deps.api->call<v1::RenderQuickReplyResponse>(
        core::ops::kRenderQuickReply, req, this,
        [this, reply, ticketId](const core::ApiResult<v1::RenderQuickReplyResponse> &r) {
            if (m_conversation->composer()->ticketId() != ticketId)
                return;
            // Unfilled variables stay visible in the text for the agent to complete.
            m_conversation->composer()->replaceCommand(r.ok() ? qs(r.value.text()) : reply.body);
            if (r.ok() && r.value.missing_size() > 0)
                statusBar()->showMessage(
                    tr("Fill in before sending: %1")
                        .arg(qs(r.value.missing(0)) + (r.value.missing_size() > 1 ? QStringLiteral(", …") : QString())),
                    8000);
        });
}

void ConsoleWindow::showCommandPalette()
{
    auto *palette = new CommandPalette(allActions(), this);
    palette->setAttribute(Qt::WA_DeleteOnClose);
    palette->open();
}

void ConsoleWindow::showShortcuts()
{
    auto *dialog = new QDialog(this);
    dialog->setObjectName(QStringLiteral("shortcutsDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(tr("Keyboard shortcuts"));
    QStringList rows;
    for (QAction *a : allActions() + QList<QAction *>{m_actions.value(QStringLiteral("palette"))})
        if (!a->shortcut().isEmpty())
            rows.append(QStringLiteral("<tr><td><b>%1</b></td><td>&nbsp;&nbsp;%2</td></tr>")
                            .arg(a->shortcut().toString(QKeySequence::NativeText).toHtmlEscaped(),
                                 QString(a->text()).remove(QLatin1Char('&')).toHtmlEscaped()));
    rows.append(
        QStringLiteral("<tr><td><b>%1</b></td><td>&nbsp;&nbsp;%2</td></tr>").arg(tr("Enter"), tr("Send the message")));
    rows.append(
        QStringLiteral("<tr><td><b>%1</b></td><td>&nbsp;&nbsp;%2</td></tr>").arg(tr("Shift+Enter"), tr("New line")));
    rows.append(QStringLiteral("<tr><td><b>/</b></td><td>&nbsp;&nbsp;%1</td></tr>").arg(tr("Quick replies")));
    auto *label = new QLabel(QStringLiteral("<table>") + rows.join(QString()) + QStringLiteral("</table>"));
    label->setObjectName(QStringLiteral("shortcutsTable"));
    auto *layout = new QVBoxLayout(dialog);
    layout->addWidget(label);
    dialog->open();
}

} // namespace atende::app::console
