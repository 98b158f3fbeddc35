// ConsoleWindow: the context menus of ticket rows and message bubbles. What they enable comes from
// ticketActionAllowed() like the tool bar's, and what they run is the same code as the actions (with the
// row's ticket instead of the open one).

#include "app/console/composer.h"
#include "app/console/console_window.h"
#include "app/console/conversation_panel.h"
#include "app/console/details_panel.h"
#include "app/models/conversation_model.h"

#include <QAction>
#include <QClipboard>
#include <QGuiApplication>
#include <QMenu>

namespace atende::app::console {

QMenu *ConsoleWindow::ticketMenu(const QString &ticketId)
{
    auto *menu = new QMenu(this);
    menu->setObjectName(QStringLiteral("ticketMenu"));
    const TicketFacts ticket = factsOf(ticketId);
    const auto add = [&](QMenu *into, const char *name, const QString &text, auto slot) {
        QAction *a = into->addAction(text, this, slot);
        a->setObjectName(QLatin1String(name));
        a->setEnabled(ticketActionAllowed(QLatin1String(name), ticket, me()));
        return a;
    };
    const auto textOf = [this](const char *name) {
        return m_actions.value(QLatin1String(name))->text();
    };
    add(menu, ticket_action::kAccept, textOf("accept"), [this, ticketId] {
        ticketCall("accept", ticketId);
        openTicket(ticketId);
    });
    add(menu, ticket_action::kTransfer, textOf("transfer"), [this, ticketId] { transfer(ticketId); });
    if (ticket.state == QLatin1String("on_hold"))
        add(menu, ticket_action::kResume, textOf("resume"), [this, ticketId] { ticketCall("resume", ticketId); });
    else
        add(menu, ticket_action::kHold, textOf("hold"), [this, ticketId] { ticketCall("hold", ticketId); });
    add(menu, ticket_action::kClose, textOf("close"), [this, ticketId] { closeTicket(ticketId); });
    add(menu, ticket_action::kReopen, textOf("reopen"), [this, ticketId] { ticketCall("reopen", ticketId); });
    menu->addSeparator();
    QMenu *tags = menu->addMenu(tr("Tags"));
    tags->menuAction()->setObjectName(QStringLiteral("tags"));
    add(tags, ticket_action::kTag, textOf("tag"), [this, ticketId] { tagTicket(ticketId); });
    const models::TicketRow *row = findRow(ticketId);
    const QStringList present = row ? row->tags : QStringList();
    if (!present.isEmpty())
        tags->addSeparator();
    for (const QString &tag : present)
        add(tags, ticket_action::kTag, tr("Remove “%1”").arg(tag), [this, ticketId, tag] {
            untagTicket(ticketId, tag);
        })->setObjectName(QStringLiteral("untag"));
    add(menu, ticket_action::kMarkRead, textOf("markRead"), [this, ticketId] { markRead(ticketId); });
    menu->addSeparator();
    QAction *contact = menu->addAction(tr("Open contact"), this, [this, ticketId] { openContact(ticketId); });
    contact->setObjectName(QStringLiteral("openContact"));
    contact->setEnabled(!ticket.state.isEmpty());
    return menu;
}

void ConsoleWindow::openContact(const QString &ticketId)
{
    // The contact card is the right column of an open ticket.
    openTicket(ticketId);
    m_details->setFocus(Qt::OtherFocusReason);
}

QMenu *ConsoleWindow::messageMenu(const QModelIndex &message)
{
    auto *menu = new QMenu(this);
    menu->setObjectName(QStringLiteral("messageMenu"));
    const QString id = message.data(models::ConversationModel::IdRole).toString();
    const QString kind = message.data(models::ConversationModel::KindRole).toString();
    const QString status = message.data(models::ConversationModel::StatusRole).toString();
    const QString body = message.data(Qt::DisplayRole).toString();
    const bool canSend = allowed(ticket_action::kSend, m_openTicketId);
    const bool chat = kind == QLatin1String("inbound") || kind == QLatin1String("outbound");
    if (chat) {
        QAction *reply = menu->addAction(tr("Reply"), this, [this, id, body] {
            const QString excerpt = body.isEmpty() ? tr("(media)") : body;
            m_conversation->composer()->setQuote(id, excerpt);
        });
        reply->setObjectName(QStringLiteral("reply"));
        reply->setEnabled(canSend && !id.isEmpty());
    }
    QAction *copy = menu->addAction(tr("Copy text"), this, [body] { QGuiApplication::clipboard()->setText(body); });
    copy->setObjectName(QStringLiteral("copy"));
    copy->setEnabled(!body.isEmpty());
    if (kind == QLatin1String("outbound") && status == QLatin1String("failed")) {
        QAction *retry = menu->addAction(tr("Retry sending"), this, [this, id] { retryMessage(id); });
        retry->setObjectName(QStringLiteral("retry"));
        retry->setEnabled(canSend);
    }
    return menu;
}

} // namespace atende::app::console
