#pragma once
// The permission catalogue (issue 3 item 4). Every operation in the operation table names one of these;
// roles and API-token scopes are sets of them. A test walks the table and fails when an operation names
// a permission that is not listed here, so nothing can be added without deciding who may run it.
//
//   public   no credentials (login, health)
//   self     any signed-in user, acting on themselves (auth.me, own password, own availability)
//   others   named "<area>.<verb>"; roles get them from rolePermissions(), API tokens from scopePermissions()

#include <QSet>
#include <QString>
#include <QStringList>

namespace atende::server::api::perm {

inline constexpr auto kSelf = "self";

inline constexpr auto kTenantRead = "tenant.read";
inline constexpr auto kTenantManage = "tenant.manage";
inline constexpr auto kUsersRead = "users.read";
inline constexpr auto kUsersManage = "users.manage";
inline constexpr auto kSectorsRead = "sectors.read";
inline constexpr auto kSectorsManage = "sectors.manage";
inline constexpr auto kApiTokensManage = "api_tokens.manage";
inline constexpr auto kAuditRead = "audit.read";
// The desk (issue 4) and WhatsApp (issues 5-6) use these.
inline constexpr auto kTicketsRead = "tickets.read";
inline constexpr auto kTicketsWork = "tickets.work";           // accept, transfer, hold, close own tickets
inline constexpr auto kTicketsSupervise = "tickets.supervise"; // every ticket of the tenant, reassign
inline constexpr auto kMessagesSend = "messages.send";
inline constexpr auto kContactsRead = "contacts.read";
inline constexpr auto kContactsManage = "contacts.manage";
inline constexpr auto kConnectionsRead = "connections.read";
inline constexpr auto kConnectionsManage = "connections.manage";
inline constexpr auto kQuickRepliesManage = "quick_replies.manage";
inline constexpr auto kReportsRead = "reports.read";
inline constexpr auto kJobsManage = "jobs.manage";

// Every permission above except public and self.
const QStringList &all();
bool isKnown(const QString &permission); // includes public and self

// Roles: "admin", "supervisor", "agent". Unknown role -> empty set.
const QSet<QString> &rolePermissions(const QString &role);
const QStringList &roles();

// API-token scopes ("tickets:read", "messages:send", ...). A token never gets self or any *.manage
// permission of accounts (users, tenant, api tokens). Unknown scope -> empty set.
const QSet<QString> &scopePermissions(const QString &scope);
const QStringList &scopes();

} // namespace atende::server::api::perm
