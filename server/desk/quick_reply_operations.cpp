// quick_replies.* operations. The table checks the permission; QuickRepliesService checks the scope.

#include "server/desk/quick_reply_operations.h"

#include "server/accounts/accounts_validation.h"
#include "server/api/permissions.h"
#include "server/desk/operations_impl.h"
#include "server/desk/quick_reply_proto.h"

namespace atende::server::desk {

namespace v1 = atende::api::v1;
using atende::core::Result;
using atende::core::Status;
using atende::server::accounts::parseId;
using Svc = QPointer<QuickRepliesService>;

namespace {

Result<ReplyCaller> callerOf(const api::CallContext &ctx)
{
    Result<Actor> actor = deskActorOf(ctx);
    if (!actor.ok())
        return actor.error();
    ReplyCaller c;
    c.actor = actor.value();
    c.manage = ctx.can(api::perm::kQuickRepliesManage);
    c.supervise = ctx.isApiToken() || ctx.can(api::perm::kTicketsSupervise);
    return c;
}

// An optional id field: empty -> null, otherwise it must parse.
Result<QUuid> optionalId(const std::string &text, const QString &field)
{
    if (text.empty())
        return QUuid();
    return parseId(text, field);
}

template <typename Req, typename Resp>
void add(api::OperationTable &table, const Svc &svc, QString name, QByteArray method, QString path,
         const char *permission, QString summary,
         std::function<QCoro::Task<Result<Resp>>(QuickRepliesService &, ReplyCaller, Req)> body)
{
    addDeskOperation(
        table, api::makeOperation<Req, Resp>(std::move(name), std::move(method), std::move(path),
                                             QString::fromLatin1(permission), std::move(summary),
                                             [svc, body](api::CallContext ctx, Req req) -> QCoro::Task<Result<Resp>> {
                                                 if (!svc)
                                                     co_return deskServiceGone();
                                                 Result<ReplyCaller> caller = callerOf(ctx);
                                                 if (!caller.ok())
                                                     co_return caller.error();
                                                 auto rTask = body(*svc, caller.value(), std::move(req));
                                                 Result<Resp> r = co_await rTask;
                                                 co_return r;
                                             }));
}

Result<v1::QuickReply> replyOf(const Result<QuickReplyRecord> &r)
{
    if (!r.ok())
        return r.error();
    return toProto(r.value());
}

} // namespace

void addQuickReplyOperations(api::OperationTable &table, const Svc &svc)
{
    using ReplyTask = QCoro::Task<Result<v1::QuickReply>>;
    add<v1::ListQuickRepliesRequest, v1::ListQuickRepliesResponse>(
        table, svc, QStringLiteral("quick_replies.list"), "GET", QStringLiteral("/api/v1/quick-replies"),
        api::perm::kTicketsRead,
        QStringLiteral("The quick replies the caller may use: personal, their sectors' and the tenant's."),
        [](QuickRepliesService &s, ReplyCaller c,
           v1::ListQuickRepliesRequest req) -> QCoro::Task<Result<v1::ListQuickRepliesResponse>> {
            QuickReplyFilter f{QString::fromStdString(req.prefix()), QString::fromStdString(req.search()),
                               QString::fromStdString(req.scope())};
            auto rTask = s.list(c, f);
            Result<QList<QuickReplyRecord>> r = co_await rTask;
            if (!r.ok())
                co_return r.error();
            v1::ListQuickRepliesResponse out;
            for (const QuickReplyRecord &q : r.value())
                *out.add_quick_replies() = toProto(q);
            co_return out;
        });

    add<v1::CreateQuickReplyRequest, v1::QuickReply>(
        table, svc, QStringLiteral("quick_replies.create"), "POST", QStringLiteral("/api/v1/quick-replies"),
        api::perm::kTicketsWork,
        QStringLiteral("Creates a personal reply, or (quick_replies.manage) a tenant or sector reply."),
        [](QuickRepliesService &s, ReplyCaller c, v1::CreateQuickReplyRequest req) -> ReplyTask {
            Result<QUuid> sector = optionalId(req.sector_id(), QStringLiteral("sector_id"));
            if (!sector.ok())
                co_return sector.error();
            QuickReplyRecord draft;
            draft.scope = QString::fromStdString(req.scope());
            draft.sectorId = sector.value();
            draft.shortcut = QString::fromStdString(req.shortcut());
            draft.title = QString::fromStdString(req.title());
            draft.body = QString::fromStdString(req.body());
            auto rTask = s.create(c, draft);
            Result<QuickReplyRecord> r = co_await rTask;
            co_return replyOf(r);
        });

    add<v1::UpdateQuickReplyRequest, v1::QuickReply>(
        table, svc, QStringLiteral("quick_replies.update"), "PATCH", QStringLiteral("/api/v1/quick-replies/{id}"),
        api::perm::kTicketsWork, QStringLiteral("Changes a quick reply's shortcut, title or body."),
        [](QuickRepliesService &s, ReplyCaller c, v1::UpdateQuickReplyRequest req) -> ReplyTask {
            Result<QUuid> id = parseId(req.id(), QStringLiteral("id"));
            if (!id.ok())
                co_return id.error();
            QuickReplyPatch patch{QString::fromStdString(req.shortcut()), QString::fromStdString(req.title()),
                                  QString::fromStdString(req.body())};
            auto rTask = s.update(c, id.value(), patch);
            Result<QuickReplyRecord> r = co_await rTask;
            co_return replyOf(r);
        });

    add<v1::DeleteQuickReplyRequest, v1::DeleteQuickReplyResponse>(
        table, svc, QStringLiteral("quick_replies.delete"), "DELETE", QStringLiteral("/api/v1/quick-replies/{id}"),
        api::perm::kTicketsWork, QStringLiteral("Deletes a quick reply."),
        [](QuickRepliesService &s, ReplyCaller c,
           v1::DeleteQuickReplyRequest req) -> QCoro::Task<Result<v1::DeleteQuickReplyResponse>> {
            Result<QUuid> id = parseId(req.id(), QStringLiteral("id"));
            if (!id.ok())
                co_return id.error();
            auto stTask = s.remove(c, id.value());
            Status st = co_await stTask;
            if (!st.ok())
                co_return st.error();
            const v1::DeleteQuickReplyResponse out;
            co_return out;
        });

    add<v1::RenderQuickReplyRequest, v1::RenderQuickReplyResponse>(
        table, svc, QStringLiteral("quick_replies.render"), "POST", QStringLiteral("/api/v1/quick-replies/render"),
        api::perm::kTicketsRead,
        QStringLiteral("Fills a reply's variables ({{contact.name}}, {{agent.name}}, ...) for a ticket."),
        [](QuickRepliesService &s, ReplyCaller c,
           v1::RenderQuickReplyRequest req) -> QCoro::Task<Result<v1::RenderQuickReplyResponse>> {
            Result<QUuid> id = optionalId(req.id(), QStringLiteral("id"));
            if (!id.ok())
                co_return id.error();
            Result<QUuid> ticket = parseId(req.ticket_id(), QStringLiteral("ticket_id"));
            if (!ticket.ok())
                co_return ticket.error();
            auto rTask = s.render(c, id.value(), QString::fromStdString(req.shortcut()),
                                  QString::fromStdString(req.body()), ticket.value());
            Result<RenderedText> r = co_await rTask;
            if (!r.ok())
                co_return r.error();
            v1::RenderQuickReplyResponse out;
            out.set_text(r->text.toStdString());
            for (const QString &m : r->missing)
                out.add_missing(m.toStdString());
            co_return out;
        });
}

} // namespace atende::server::desk
