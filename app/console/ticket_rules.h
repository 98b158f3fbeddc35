#pragma once
// Which ticket actions the signed-in user may take, by the ticket's state and the user's role: the one place
// the tool bar, the command palette and the context menus (ticket rows, message bubbles) ask. It mirrors the
// server's rules (server/desk tickets_service*.cpp and maySendOn) so that the console does not offer what the
// server would refuse: accepting needs a waiting ticket the user can see; everything else that changes a
// ticket, and sending on it, needs the ticket assigned to the user or the tickets.supervise role.

#include <QString>

namespace atende::app::console {

struct TicketFacts {
    QString state; // empty: no ticket
    QString assigneeId;
    int unread = 0;
};

struct ActorFacts {
    QString userId;
    bool supervisor = false;
};

namespace ticket_action {
inline constexpr const char *kAccept = "accept";
inline constexpr const char *kTransfer = "transfer";
inline constexpr const char *kHold = "hold";
inline constexpr const char *kResume = "resume";
inline constexpr const char *kClose = "close";
inline constexpr const char *kReopen = "reopen";
inline constexpr const char *kTag = "tag";
inline constexpr const char *kMarkRead = "markRead";
// messages.send, messages.note and messages.retry (and so replying to a message).
inline constexpr const char *kSend = "send";
} // namespace ticket_action

// True when `action` (a ticket_action name) is possible on the ticket for that user.
bool ticketActionAllowed(const QString &action, const TicketFacts &ticket, const ActorFacts &me);

} // namespace atende::app::console
