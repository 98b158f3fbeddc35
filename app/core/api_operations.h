#pragma once
// The operations of the Atende API the desktop app calls: name, HTTP method and path template, exactly as
// the server's operation table declares them (server/*/…_operations.cpp). "{field}" in a path is filled
// from the request message's field of that name; for GET and DELETE the other set fields go in the query.

namespace atende::app::core {

struct ApiOperation {
    const char *name;
    const char *method;
    const char *path;
};

namespace ops {
inline constexpr ApiOperation kLogin{"auth.login", "POST", "/api/v1/auth/login"};
inline constexpr ApiOperation kRefresh{"auth.refresh", "POST", "/api/v1/auth/refresh"};
inline constexpr ApiOperation kLogout{"auth.logout", "POST", "/api/v1/auth/logout"};
inline constexpr ApiOperation kMe{"auth.me", "GET", "/api/v1/auth/me"};
inline constexpr ApiOperation kListSectors{"sectors.list", "GET", "/api/v1/sectors"};
inline constexpr ApiOperation kListUsers{"users.list", "GET", "/api/v1/users"};
inline constexpr ApiOperation kListTickets{"tickets.list", "GET", "/api/v1/tickets"};
inline constexpr ApiOperation kCountTickets{"tickets.counts", "GET", "/api/v1/tickets/counts"};
inline constexpr ApiOperation kGetTicket{"tickets.get", "GET", "/api/v1/tickets/{id}"};
inline constexpr ApiOperation kTimeline{"tickets.timeline", "GET", "/api/v1/tickets/{id}/timeline"};
inline constexpr ApiOperation kAccept{"tickets.accept", "POST", "/api/v1/tickets/{id}/accept"};
inline constexpr ApiOperation kAcceptNext{"tickets.accept_next", "POST", "/api/v1/tickets/accept_next"};
inline constexpr ApiOperation kHold{"tickets.hold", "POST", "/api/v1/tickets/{id}/hold"};
inline constexpr ApiOperation kResume{"tickets.resume", "POST", "/api/v1/tickets/{id}/resume"};
inline constexpr ApiOperation kClose{"tickets.close", "POST", "/api/v1/tickets/{id}/close"};
inline constexpr ApiOperation kReopen{"tickets.reopen", "POST", "/api/v1/tickets/{id}/reopen"};
inline constexpr ApiOperation kTransfer{"tickets.transfer", "POST", "/api/v1/tickets/{id}/transfer"};
inline constexpr ApiOperation kTag{"tickets.tag", "POST", "/api/v1/tickets/{id}/tags"};
inline constexpr ApiOperation kSetTyping{"tickets.typing", "POST", "/api/v1/tickets/{ticket_id}/typing"};
inline constexpr ApiOperation kUntag{"tickets.untag", "DELETE", "/api/v1/tickets/{id}/tags/{tag}"};
inline constexpr ApiOperation kListMessages{"messages.list", "GET", "/api/v1/tickets/{ticket_id}/messages"};
inline constexpr ApiOperation kSendMessage{"messages.send", "POST", "/api/v1/tickets/{ticket_id}/messages"};
inline constexpr ApiOperation kAddNote{"messages.note", "POST", "/api/v1/tickets/{ticket_id}/notes"};
inline constexpr ApiOperation kRetryMessage{"messages.retry", "POST", "/api/v1/messages/{message_id}/retry"};
inline constexpr ApiOperation kMarkRead{"messages.mark_read", "POST", "/api/v1/tickets/{ticket_id}/read"};
inline constexpr ApiOperation kSearch{"search.query", "GET", "/api/v1/search"};
inline constexpr ApiOperation kContactHistory{"contacts.history", "GET", "/api/v1/contacts/{contact_id}/history"};
inline constexpr ApiOperation kGetContact{"contacts.get", "GET", "/api/v1/contacts/{id}"};
inline constexpr ApiOperation kListQuickReplies{"quick_replies.list", "GET", "/api/v1/quick-replies"};
inline constexpr ApiOperation kRenderQuickReply{"quick_replies.render", "POST", "/api/v1/quick-replies/render"};
inline constexpr ApiOperation kListConnections{"connections.list", "GET", "/api/v1/connections"};
inline constexpr ApiOperation kCreateConnection{"connections.create", "POST", "/api/v1/connections"};
inline constexpr ApiOperation kSimulateInbound{"connections.simulate_inbound", "POST",
                                               "/api/v1/connections/{connection_id}/inbound"};
} // namespace ops

} // namespace atende::app::core
