// ConsoleWindow: opening a ticket, live events, counts, notifications and the tray.

#include "app/console/console_window.h"
#include "app/console/conversation_panel.h"
#include "app/console/details_panel.h"
#include "app/console/notification_sound.h"
#include "app/console/ticket_delegate.h"
#include "app/console/ticket_list_panel.h"
#include "app/console/typing_notifier.h"
#include "app/core/api_client.h"
#include "app/core/directory.h"
#include "app/core/proto_text.h"
#include "app/core/session.h"
#include "app/models/conversation_model.h"

#include "atende/api/v1/messages.pb.h"
#include "atende/api/v1/sync.pb.h"
#include "atende/api/v1/tickets.pb.h"

#include <QAction>
#include <QApplication>
#include <QSystemTrayIcon>
#include <QTimer>

namespace atende::app::console {

namespace v1 = atende::api::v1;
using core::qs;

void ConsoleWindow::openTicket(const QString &ticketId)
{
    if (ticketId.isEmpty())
        return;
    const bool same = ticketId == m_openTicketId && m_conversationModel->ticketId() == ticketId;
    if (ticketId != m_typing->ticketId())
        m_typing->stop(); // the previous ticket's customer stops seeing "typing…"
    m_openTicketId = ticketId;
    m_conversation->composer()->setTicket(ticketId);
    if (!same)
        m_conversationModel->setTicket(ticketId);
    m_conversation->setTyping(false);
    m_tickets->selectTicket(ticketId);
    v1::GetTicketRequest req;
    req.set_id(ticketId.toStdString());
    m_deps.api->call<v1::Ticket>(core::ops::kGetTicket, req, this,
                                 [this, ticketId](const core::ApiResult<v1::Ticket> &r) {
                                     if (!r.ok() || ticketId != m_openTicketId)
                                         return;
                                     showTicketRow(models::TicketRow::fromProto(r.value));
                                     loadDetails();
                                 });
    // Opening a ticket reads it: unread to zero, and a read receipt to the customer.
    v1::MarkReadRequest mark;
    mark.set_ticket_id(ticketId.toStdString());
    m_deps.api->callRaw(core::ops::kMarkRead, mark, this, [](const core::ApiError *, const QByteArray &) {});
}

void ConsoleWindow::showTicketRow(const models::TicketRow &row)
{
    for (auto view : {TicketListPanel::View::Waiting, TicketListPanel::View::Mine, TicketListPanel::View::Team,
                      TicketListPanel::View::Closed})
        m_tickets->model(view)->upsert(row);
    if (row.id != m_openTicketId)
        return;
    m_openState = row.state;
    m_openAssigneeId = row.assigneeId;
    if (m_openContactId != row.contactId)
        m_details->setContact(row.contactName, row.contactPhone, {}, {}, {}); // the rest when contacts.get answers
    m_openContactId = row.contactId;
    // One contacts.get for the details card (e-mail, tags, notes), none for the header.
    m_deps.directory->require({row.contactId});
    const core::ContactInfo contact = m_deps.directory->contact(row.contactId);
    const QString label = !contact.name.isEmpty() ? contact.name : row.contactLabel();
    const QString name = label.isEmpty() ? tr("Customer") : label;
    const QString sector = m_deps.directory->sector(row.sectorId).name;
    QString subtitle = DetailsPanel::stateText(row.state);
    if (!sector.isEmpty())
        subtitle += QStringLiteral(" · ") + sector;
    const QString agent = m_deps.directory->userName(row.assigneeId);
    if (!agent.isEmpty())
        subtitle += QStringLiteral(" · ") + agent;
    m_conversation->setHeader(name, subtitle);
    m_details->setTicket(row.state, sector, agent, row.tags);
    updateActions();
    m_countsTimer->start();
}

void ConsoleWindow::loadDetails()
{
    if (m_openContactId.isEmpty())
        return;
    const core::ContactInfo c = m_deps.directory->contact(m_openContactId);
    if (!c.id.isEmpty()) // not loaded yet: the ticket's name and phone stay until it is
        m_details->setContact(c.name, c.phone, c.email, c.tags, c.notes);
    const QString ticketId = m_openTicketId;
    v1::TicketTimelineRequest tl;
    tl.set_id(ticketId.toStdString());
    m_deps.api->call<v1::TicketTimelineResponse>(
        core::ops::kTimeline, tl, this, [this, ticketId](const core::ApiResult<v1::TicketTimelineResponse> &r) {
            if (!r.ok() || ticketId != m_openTicketId)
                return;
            QList<TimelineLine> lines;
            for (const v1::TicketEvent &e : r.value.events()) {
                QString text = DetailsPanel::eventText(qs(e.kind()));
                const QString who = m_deps.directory->userName(qs(e.actor_user_id()));
                if (!who.isEmpty())
                    text += QStringLiteral(" · ") + who;
                if (!e.reason().empty())
                    text += QStringLiteral(" — ") + qs(e.reason());
                lines.append({TicketDelegate::timeText(core::qtime(e.at())), text});
            }
            m_details->setTimeline(lines);
        });
    v1::ContactHistoryRequest hist;
    hist.set_contact_id(m_openContactId.toStdString());
    hist.set_limit(1);
    m_deps.api->call<v1::ContactHistoryResponse>(
        core::ops::kContactHistory, hist, this, [this, ticketId](const core::ApiResult<v1::ContactHistoryResponse> &r) {
            if (!r.ok() || ticketId != m_openTicketId)
                return;
            QList<std::pair<QString, QString>> tickets;
            for (const v1::HistoryTicket &t : r.value.tickets()) {
                if (qs(t.id()) == ticketId)
                    continue;
                tickets.append(
                    {qs(t.id()), QStringLiteral("%1 · %2").arg(TicketDelegate::timeText(core::qtime(t.created_at())),
                                                               DetailsPanel::stateText(qs(t.state())))});
            }
            m_details->setHistory(tickets);
        });
}

void ConsoleWindow::reload(bool lists)
{
    if (lists)
        m_tickets->reloadAll();
    refreshCounts();
    if (!m_openTicketId.isEmpty())
        m_conversationModel->setTicket(m_openTicketId);
}

void ConsoleWindow::refreshCounts()
{
    // The counts follow the list filters.
    const models::TicketFilter filter = m_tickets->filter();
    v1::CountTicketsRequest req;
    req.set_sector_id(filter.sectorId.toStdString());
    req.set_connection_id(filter.connectionId.toStdString());
    req.set_tag(filter.tag.toStdString());
    m_deps.api->call<v1::CountTicketsResponse>(
        core::ops::kCountTickets, req, this, [this, filter](const core::ApiResult<v1::CountTicketsResponse> &r) {
            if (r.ok() && filter == m_tickets->filter()) // an answer for other filters is stale
                m_tickets->setCounts(r.value.waiting(), r.value.mine(), r.value.team());
        });
    updateTray();
}

void ConsoleWindow::onEvent(const v1::Event &event)
{
    const QString me = m_deps.session->user().id;
    if (event.has_ticket_changed()) {
        const v1::TicketChanged &change = event.ticket_changed();
        const models::TicketRow row = models::TicketRow::fromProto(change.ticket());
        const bool wasWaiting = m_tickets->model(TicketListPanel::View::Waiting)->rowOf(row.id) >= 0;
        for (auto view : {TicketListPanel::View::Waiting, TicketListPanel::View::Mine, TicketListPanel::View::Team,
                          TicketListPanel::View::Closed})
            m_tickets->model(view)->applyChange(change);
        const bool nowWaiting = m_tickets->model(TicketListPanel::View::Waiting)->rowOf(row.id) >= 0;
        if (row.id == m_openTicketId) {
            showTicketRow(row);
            loadDetails(); // the timeline has a new entry
        }
        if (nowWaiting && !wasWaiting &&
            (change.change() == "created" || change.change() == "queued" || change.change() == "reopened" ||
             change.alert()))
            notify(tr("New ticket waiting"), row.contactLabel());
        else if (change.alert() && row.assigneeId == me && !wasWaiting)
            notify(tr("Ticket transferred to you"), row.contactLabel());
        m_countsTimer->start();
    } else if (event.has_message_changed()) {
        const v1::MessageChanged &mc = event.message_changed();
        m_conversationModel->applyMessage(mc.message(), mc.created());
        if (mc.created() && mc.message().kind() != "note") {
            const bool inbound = mc.message().kind() == "inbound";
            const bool reading = inbound && qs(mc.message().ticket_id()) == m_openTicketId && isActiveWindow();
            for (auto view : {TicketListPanel::View::Waiting, TicketListPanel::View::Mine, TicketListPanel::View::Team,
                              TicketListPanel::View::Closed})
                m_tickets->model(view)->applyMessage(qs(mc.message().ticket_id()), qs(mc.message().body()),
                                                     core::qtime(mc.message().created_at()), inbound && !reading);
            updateTray();
        }
        if (mc.created() && mc.message().kind() == "inbound") {
            const QString ticketId = qs(mc.message().ticket_id());
            m_conversation->setTyping(false);
            const int mine = m_tickets->model(TicketListPanel::View::Mine)->rowOf(ticketId);
            const bool looking = ticketId == m_openTicketId && isActiveWindow();
            if (mine >= 0 && !looking)
                notify(tr("New message"), qs(mc.message().body()).left(120));
            if (ticketId == m_openTicketId) {
                v1::MarkReadRequest mark;
                mark.set_ticket_id(ticketId.toStdString());
                m_deps.api->callRaw(core::ops::kMarkRead, mark, this,
                                    [](const core::ApiError *, const QByteArray &) {});
            }
        }
        if (mc.mentioned())
            notify(tr("You were mentioned"), qs(mc.message().body()).left(120));
    } else if (event.has_typing()) {
        if (qs(event.typing().ticket_id()) == m_openTicketId)
            m_conversation->setTyping(event.typing().typing());
    } else if (event.has_contact_changed()) {
        m_deps.directory->updateContact(core::contactFromProto(event.contact_changed().contact()));
    } else if (event.has_sector_changed() || event.has_user_changed()) {
        m_deps.directory->reload();
    } else if (event.has_quick_reply_changed()) {
        loadQuickReplies();
    }
}

void ConsoleWindow::notify(const QString &title, const QString &text)
{
    if (m_actions.value(QStringLiteral("doNotDisturb"))->isChecked())
        return;
    if (m_actions.value(QStringLiteral("notifyDesktop"))->isChecked()) {
        ++m_notificationsShown;
        Q_EMIT notified(title, text);
        if (m_tray && QSystemTrayIcon::supportsMessages())
            m_tray->showMessage(title, text, QSystemTrayIcon::Information, 6000);
        QApplication::alert(this);
    }
    if (m_actions.value(QStringLiteral("notifySound"))->isChecked())
        m_sound->play();
}

void ConsoleWindow::updateTray()
{
    int unread = 0;
    const models::TicketListModel *mine = m_tickets->model(TicketListPanel::View::Mine);
    for (int i = 0; i < mine->rowCount(); ++i)
        unread += mine->ticket(i)->unread;
    m_unreadTotal = unread;
    const QString tip = unread > 0 ? tr("Atende — %n unread message(s)", nullptr, unread) : QStringLiteral("Atende");
    if (m_tray)
        m_tray->setToolTip(tip);
    setWindowTitle(unread > 0 ? QStringLiteral("(%1) Atende").arg(unread) : QStringLiteral("Atende"));
}

} // namespace atende::app::console
