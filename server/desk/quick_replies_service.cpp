#include "server/desk/quick_replies_service.h"

#include "server/accounts/accounts_validation.h"
#include "server/api/permissions.h"
#include "server/db/sql_util.h"
#include "server/desk/desk_tx.h"
#include "server/desk/quick_reply_proto.h"
#include "server/desk/ticket_scope.h"

#include <QRegularExpression>
#include <QSqlQuery>

namespace atende::server::desk {

using atende::core::Error;
using atende::core::Result;
using atende::core::Status;
using atende::server::accounts::invalidField;
namespace errc = atende::core::errc;

namespace {

constexpr qsizetype kMaxBody = 4096;
constexpr qsizetype kMaxTitle = 120;

Error denied()
{
    return Error::make(errc::kPermissionDenied, QStringLiteral("you may not change this quick reply"));
}

Error noSuchReply()
{
    return Error::make(errc::kNotFound, QStringLiteral("no such quick reply"));
}

// "/Saudacao " -> "saudacao"; then the migration's rule.
Status normaliseShortcut(QString &shortcut)
{
    shortcut = shortcut.trimmed().toLower();
    if (shortcut.startsWith(QLatin1Char('/')))
        shortcut.remove(0, 1);
    static const QRegularExpression rule(QStringLiteral("^[a-z0-9][a-z0-9_-]{0,31}$"));
    if (shortcut.isEmpty())
        return invalidField(QStringLiteral("shortcut"), QStringLiteral("required"),
                            QStringLiteral("shortcut is required"));
    if (!rule.match(shortcut).hasMatch())
        return invalidField(QStringLiteral("shortcut"), QStringLiteral("invalid_shortcut"),
                            QStringLiteral("a shortcut has 1 to 32 lower-case letters, digits, '_' or '-'"));
    return {};
}

Status checkText(QString &title, QString &body)
{
    title = title.trimmed();
    if (title.size() > kMaxTitle)
        return invalidField(QStringLiteral("title"), QStringLiteral("too_long"), QStringLiteral("title is too long"));
    if (body.trimmed().isEmpty())
        return invalidField(QStringLiteral("body"), QStringLiteral("required"), QStringLiteral("body is required"));
    if (body.size() > kMaxBody)
        return invalidField(QStringLiteral("body"), QStringLiteral("too_long"), QStringLiteral("body is too long"));
    return {};
}

Result<TicketScope> scopeOf(QSqlDatabase &db, const ReplyCaller &c)
{
    return ticketScopeFor(db, c.actor.tenantId, c.actor.userId, c.supervise);
}

bool mayUse(const QuickReplyRecord &r, const TicketScope &scope)
{
    if (r.scope == QLatin1String("personal"))
        return r.ownerId == scope.userId;
    if (r.scope == QLatin1String("sector"))
        return scope.all || scope.sectorIds.contains(r.sectorId);
    return true;
}

bool mayManage(const QuickReplyRecord &r, const ReplyCaller &c)
{
    if (r.scope == QLatin1String("personal"))
        return r.ownerId == c.actor.userId;
    return c.manage;
}

Status sectorExists(QSqlDatabase &db, const QUuid &tenantId, const QUuid &sectorId)
{
    db::Query q(db, QStringLiteral("SELECT 1 FROM sectors WHERE tenant_id = ?::uuid AND id = ?::uuid"));
    q.addBindValue(tenantId.toString(QUuid::WithoutBraces));
    q.addBindValue(sectorId.toString(QUuid::WithoutBraces));
    if (Status s = db::exec(q); !s.ok())
        return s;
    if (!q.next())
        return Error::make(errc::kNotFound, QStringLiteral("no such sector"));
    return {};
}

Error shortcutTaken()
{
    return deskConflict(QStringLiteral("shortcut"), QStringLiteral("shortcut_taken"),
                        QStringLiteral("this shortcut is already used in this scope"));
}

// Audit row and event of one change; `after` is the deleted record when deleted.
Status record(QSqlDatabase &db, Outbox &outbox, const ReplyCaller &c, const QString &action,
              const std::optional<QuickReplyRecord> &before, const QuickReplyRecord &after, bool deleted)
{
    std::optional<QJsonObject> beforeJson;
    if (before)
        beforeJson = auditJson(*before);
    std::optional<QJsonObject> afterJson;
    if (!deleted)
        afterJson = auditJson(after);
    if (Status s = audit(db, c.actor, action, QStringLiteral("quick_reply"), after.id, beforeJson, afterJson); !s.ok())
        return s;
    api::Audience audience;
    audience.tenantId = c.actor.tenantId;
    audience.permission = QString::fromLatin1(api::perm::kTicketsRead);
    if (after.scope == QLatin1String("sector"))
        audience.sectorId = after.sectorId;
    else if (after.scope == QLatin1String("personal"))
        audience.userId = after.ownerId;
    return outbox.add(db, audience, quickReplyChangedEvent(after, deleted));
}

} // namespace

QuickRepliesService::QuickRepliesService(db::DbExecutor &db, api::EventHub *hub, QObject *parent)
    : QObject(parent)
    , m_db(db)
    , m_hub(hub)
{}

QCoro::Task<Result<QList<QuickReplyRecord>>> QuickRepliesService::list(ReplyCaller caller, QuickReplyFilter filter)
{
    filter.prefix = filter.prefix.trimmed().toLower();
    if (filter.prefix.startsWith(QLatin1Char('/')))
        filter.prefix.remove(0, 1);
    if (!filter.scope.isEmpty() && filter.scope != QLatin1String("tenant") && filter.scope != QLatin1String("sector") &&
        filter.scope != QLatin1String("personal"))
        co_return invalidField(QStringLiteral("scope"), QStringLiteral("invalid_scope"),
                               QStringLiteral("scope is tenant, sector or personal"));
    auto rTask = deskQuery<QList<QuickReplyRecord>>(
        m_db, this, caller.actor.tenantId, [caller, filter](QSqlDatabase &db) -> Result<QList<QuickReplyRecord>> {
            Result<TicketScope> scope = scopeOf(db, caller);
            if (!scope.ok())
                return scope.error();
            QuickReplyReach reach{caller.actor.userId, scope->sectorIds, scope->all};
            return QuickReplyRepository::list(db, caller.actor.tenantId, reach, filter);
        });
    Result<QList<QuickReplyRecord>> r = co_await rTask;
    co_return r;
}

QCoro::Task<Result<QuickReplyRecord>> QuickRepliesService::create(ReplyCaller caller, QuickReplyRecord draft)
{
    if (Status s = normaliseShortcut(draft.shortcut); !s.ok())
        co_return s.error();
    if (Status s = checkText(draft.title, draft.body); !s.ok())
        co_return s.error();
    if (draft.scope == QLatin1String("personal")) {
        draft.ownerId = caller.actor.userId;
        draft.sectorId = QUuid();
    } else if (draft.scope == QLatin1String("tenant") || draft.scope == QLatin1String("sector")) {
        if (!caller.manage)
            co_return Error::make(errc::kPermissionDenied,
                                  QStringLiteral("tenant and sector quick replies need quick_replies.manage"));
        draft.ownerId = QUuid();
        if (draft.scope == QLatin1String("tenant"))
            draft.sectorId = QUuid();
        else if (draft.sectorId.isNull())
            co_return invalidField(QStringLiteral("sector_id"), QStringLiteral("required"),
                                   QStringLiteral("a sector quick reply needs sector_id"));
    } else {
        co_return invalidField(QStringLiteral("scope"), QStringLiteral("invalid_scope"),
                               QStringLiteral("scope is tenant, sector or personal"));
    }
    auto rTask = deskCommit<QuickReplyRecord>(
        m_db, this, m_hub, caller.actor.tenantId,
        [caller, draft](QSqlDatabase &db) -> Result<Committed<QuickReplyRecord>> {
            if (!draft.sectorId.isNull())
                if (Status s = sectorExists(db, caller.actor.tenantId, draft.sectorId); !s.ok())
                    return s.error();
            Result<QUuid> id = QuickReplyRepository::insert(db, caller.actor.tenantId, draft, caller.actor.userId);
            if (!id.ok())
                return id.error().code == QLatin1String(errc::kConflict) ? shortcutTaken() : id.error();
            Result<QuickReplyRecord> after = QuickReplyRepository::find(db, caller.actor.tenantId, id.value());
            if (!after.ok())
                return after.error();
            Committed<QuickReplyRecord> out{after.value(), {}};
            if (Status s = record(db, out.outbox, caller, QStringLiteral("quick_replies.create"), std::nullopt,
                                  out.value, false);
                !s.ok())
                return s.error();
            return out;
        });
    Result<QuickReplyRecord> r = co_await rTask;
    co_return r;
}

QCoro::Task<Result<QuickReplyRecord>> QuickRepliesService::update(ReplyCaller caller, QUuid id, QuickReplyPatch patch)
{
    if (!patch.shortcut.isEmpty())
        if (Status s = normaliseShortcut(patch.shortcut); !s.ok())
            co_return s.error();
    if (patch.title.size() > kMaxTitle || patch.body.size() > kMaxBody)
        co_return invalidField(patch.body.size() > kMaxBody ? QStringLiteral("body") : QStringLiteral("title"),
                               QStringLiteral("too_long"), QStringLiteral("text is too long"));
    auto rTask = deskCommit<QuickReplyRecord>(
        m_db, this, m_hub, caller.actor.tenantId,
        [caller, id, patch](QSqlDatabase &db) -> Result<Committed<QuickReplyRecord>> {
            Result<QuickReplyRecord> before = QuickReplyRepository::find(db, caller.actor.tenantId, id, true);
            if (!before.ok())
                return before.error();
            Result<TicketScope> scope = scopeOf(db, caller);
            if (!scope.ok())
                return scope.error();
            if (!mayUse(before.value(), scope.value()))
                return noSuchReply();
            if (!mayManage(before.value(), caller))
                return denied();
            QuickReplyRecord next = before.value();
            if (!patch.shortcut.isEmpty())
                next.shortcut = patch.shortcut;
            if (!patch.title.isEmpty())
                next.title = patch.title.trimmed();
            if (!patch.body.trimmed().isEmpty())
                next.body = patch.body;
            if (Status s = QuickReplyRepository::update(db, caller.actor.tenantId, next); !s.ok())
                return s.error().code == QLatin1String(errc::kConflict) ? shortcutTaken() : s.error();
            Result<QuickReplyRecord> after = QuickReplyRepository::find(db, caller.actor.tenantId, id);
            if (!after.ok())
                return after.error();
            Committed<QuickReplyRecord> out{after.value(), {}};
            if (Status s = record(db, out.outbox, caller, QStringLiteral("quick_replies.update"), before.value(),
                                  out.value, false);
                !s.ok())
                return s.error();
            return out;
        });
    Result<QuickReplyRecord> r = co_await rTask;
    co_return r;
}

QCoro::Task<Status> QuickRepliesService::remove(ReplyCaller caller, QUuid id)
{
    auto rTask = deskCommit<bool>(
        m_db, this, m_hub, caller.actor.tenantId, [caller, id](QSqlDatabase &db) -> Result<Committed<bool>> {
            Result<QuickReplyRecord> before = QuickReplyRepository::find(db, caller.actor.tenantId, id, true);
            if (!before.ok())
                return before.error();
            Result<TicketScope> scope = scopeOf(db, caller);
            if (!scope.ok())
                return scope.error();
            if (!mayUse(before.value(), scope.value()))
                return noSuchReply();
            if (!mayManage(before.value(), caller))
                return denied();
            if (Status s = QuickReplyRepository::remove(db, caller.actor.tenantId, id); !s.ok())
                return s.error();
            Committed<bool> out{true, {}};
            if (Status s = record(db, out.outbox, caller, QStringLiteral("quick_replies.delete"), before.value(),
                                  before.value(), true);
                !s.ok())
                return s.error();
            return out;
        });
    Result<bool> r = co_await rTask;
    if (!r.ok())
        co_return r.error();
    co_return Status{};
}

} // namespace atende::server::desk
