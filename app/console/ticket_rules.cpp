#include "app/console/ticket_rules.h"

namespace atende::app::console {

bool ticketActionAllowed(const QString &action, const TicketFacts &ticket, const ActorFacts &me)
{
    const QString &s = ticket.state;
    if (s.isEmpty())
        return false;
    const bool closed = s == QLatin1String("closed");
    const bool active = s == QLatin1String("in_service") || s == QLatin1String("on_hold");
    // An agent acts on the tickets assigned to them (a closed ticket keeps its last agent); a supervisor on any.
    const bool mine = me.supervisor || (!ticket.assigneeId.isEmpty() && ticket.assigneeId == me.userId);
    if (action == QLatin1String(ticket_action::kAccept))
        return s == QLatin1String("waiting");
    if (action == QLatin1String(ticket_action::kTransfer) || action == QLatin1String(ticket_action::kClose))
        return !closed && mine;
    if (action == QLatin1String(ticket_action::kHold))
        return s == QLatin1String("in_service") && mine;
    if (action == QLatin1String(ticket_action::kResume))
        return s == QLatin1String("on_hold") && mine;
    if (action == QLatin1String(ticket_action::kReopen))
        return closed && mine;
    if (action == QLatin1String(ticket_action::kTag))
        return mine;
    if (action == QLatin1String(ticket_action::kSend))
        return active && mine;
    if (action == QLatin1String(ticket_action::kMarkRead))
        return ticket.unread > 0;
    return false;
}

} // namespace atende::app::console
