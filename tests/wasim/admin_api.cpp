#include "tests/wasim/admin_api.h"

#include "tests/wasim/simulator.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace atende::wasim {

using server::api::HttpRequest;
using server::api::HttpResponse;

namespace {

HttpResponse json(int status, const QJsonValue &value)
{
    const QJsonDocument doc = value.isArray() ? QJsonDocument(value.toArray()) : QJsonDocument(value.toObject());
    return HttpResponse::json(status, doc.toJson(QJsonDocument::Compact));
}

HttpResponse error(int status, const QString &code, const QString &message)
{
    return json(status, QJsonObject{{QStringLiteral("code"), code}, {QStringLiteral("message"), message}});
}

int statusFor(const QString &code)
{
    if (code.startsWith(u"wasim_unknown") || code == u"wasim_qr_unknown_ref" || code == u"wasim_no_code_request")
        return 404;
    if (code == u"wasim_not_connected" || code == u"wasim_user_exists" || code == u"wasim_pairing_in_progress" ||
        code == u"wasim_qr_key_mismatch")
        return 409;
    return 400;
}

HttpResponse fromError(const core::Error &e)
{
    return error(statusFor(e.code), e.code, e.message);
}

HttpResponse ok(QJsonObject extra = {})
{
    extra.insert(QStringLiteral("ok"), true);
    return json(200, extra);
}

// The body as a JSON object; an empty body is an empty object.
std::optional<QJsonObject> bodyObject(const HttpRequest &request)
{
    if (request.body.trimmed().isEmpty())
        return QJsonObject();
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(request.body, &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject())
        return std::nullopt;
    return doc.object();
}

QJsonArray array(const QList<QJsonObject> &objects)
{
    QJsonArray out;
    for (const auto &o : objects)
        out.append(o);
    return out;
}

QJsonObject userJson(const SimUser &u)
{
    return {{QStringLiteral("phone"), u.phone},
            {QStringLiteral("push_name"), u.pushName},
            {QStringLiteral("lid"), u.lid},
            {QStringLiteral("account_public_key"), QString::fromLatin1(u.account.publicKey.toHex())}};
}

} // namespace

void AdminApi::handle(const HttpRequest &request, server::api::HttpResponder responder)
{
    const QString path = QString::fromUtf8(request.path);
    if (path == u"/admin/customers" || path.startsWith(u"/admin/customers/"))
        return customers(request, std::move(responder));
    responder.send(handle(request));
}

HttpResponse AdminApi::handle(const HttpRequest &request)
{
    const QString path = QString::fromUtf8(request.path);
    const QByteArray &method = request.method;
    auto badMethod = [] {
        return error(405, QStringLiteral("method_not_allowed"), QStringLiteral("method not allowed"));
    };
    auto badJson = [] {
        return error(400, QStringLiteral("bad_json"), QStringLiteral("body must be a JSON object"));
    };

    if (path == u"/admin/info" || path == u"/admin/health") {
        if (method != "GET")
            return badMethod();
        return ok({{QStringLiteral("ws_url"), m_sim.wsUrl().toString()},
                   {QStringLiteral("trust_root"), QString::fromLatin1(m_sim.trustRootPublicKey().toHex())},
                   {QStringLiteral("trust_root_serial"), qint64(Simulator::trustRootSerial())}});
    }
    if (path == u"/admin/users") {
        if (method == "GET") {
            QJsonArray out;
            for (const SimUser &u : m_sim.users())
                out.append(userJson(u));
            return json(200, out);
        }
        if (method != "POST")
            return badMethod();
        auto body = bodyObject(request);
        if (!body)
            return badJson();
        auto user = m_sim.createUser(
            {body->value(u"phone").toString(), body->value(u"push_name").toString(), body->value(u"lid").toString()});
        return user ? json(201, userJson(*user)) : fromError(user.error());
    }
    if (path == u"/admin/scan" || path == u"/admin/qr") {
        if (method != "POST")
            return badMethod();
        // Body: the QR text itself, or {"qr", "phone", "bad_hmac", "bad_account_signature"}.
        ScanOptions options;
        QString qr = QString::fromUtf8(request.body).trimmed();
        if (qr.startsWith(u'{')) {
            auto body = bodyObject(request);
            if (!body)
                return badJson();
            qr = body->value(u"qr").toString();
            options.phone = body->value(u"phone").toString();
            options.badHmac = body->value(u"bad_hmac").toBool();
            options.badAccountSignature = body->value(u"bad_account_signature").toBool();
            options.hosted = body->value(u"hosted").toBool();
        }
        if (options.phone.isEmpty())
            options.phone = request.query.queryItemValue(QStringLiteral("phone"));
        if (path == u"/admin/qr") {
            m_sim.queueQrForAutoScan(qr);
            return json(202, QJsonObject{{QStringLiteral("queued"), true}});
        }
        auto jid = m_sim.scan(qr, options);
        return jid ? ok({{QStringLiteral("jid"), *jid}}) : fromError(jid.error());
    }
    if (path == u"/admin/pair-code") {
        if (method != "POST")
            return badMethod();
        auto body = bodyObject(request);
        if (!body)
            return badJson();
        core::Status s = m_sim.enterPairingCode(body->value(u"phone").toString(), body->value(u"code").toString());
        return s ? ok() : fromError(s.error());
    }
    if (path == u"/admin/devices") {
        if (method != "GET")
            return badMethod();
        return json(200, array(m_sim.devices()));
    }
    if (path == u"/admin/connections") {
        if (method != "GET")
            return badMethod();
        return json(200, array(m_sim.connections()));
    }
    if (path == u"/admin/events") {
        if (method != "GET")
            return badMethod();
        return json(200, QJsonArray::fromStringList(m_sim.events()));
    }
    if (path == u"/admin/faults") {
        if (method == "GET")
            return json(200, m_sim.faultsJson());
        if (method != "POST" && method != "PUT")
            return badMethod();
        auto body = bodyObject(request);
        if (!body)
            return badJson();
        core::Status s = m_sim.setFaults(*body);
        return s ? json(200, m_sim.faultsJson()) : fromError(s.error());
    }
    static const QString devicesPrefix = QStringLiteral("/admin/devices/");
    if (path.startsWith(devicesPrefix)) {
        const QStringList parts = path.mid(devicesPrefix.size()).split(u'/');
        if (parts.size() > 2)
            return error(404, QStringLiteral("not_found"), QStringLiteral("no such endpoint"));
        auto key = deviceKeyFromText(parts[0]);
        if (!key)
            return error(400, QStringLiteral("wasim_bad_device"),
                         QStringLiteral("device must be phone:device or a device JID"));
        return device(request, *key, parts.size() == 2 ? parts[1] : QString());
    }
    return error(404, QStringLiteral("not_found"), QStringLiteral("no such endpoint"));
}

HttpResponse AdminApi::device(const HttpRequest &request, const QString &key, const QString &action)
{
    auto badMethod = [] {
        return error(405, QStringLiteral("method_not_allowed"), QStringLiteral("method not allowed"));
    };
    if (action.isEmpty()) {
        if (request.method == "DELETE") {
            core::Status s = m_sim.removeDevice(key);
            return s ? ok() : fromError(s.error());
        }
        if (request.method != "GET")
            return badMethod();
        auto d = m_sim.device(key);
        return d ? json(200, m_sim.deviceJson(*d))
                 : error(404, QStringLiteral("wasim_unknown_device"), QStringLiteral("no such device"));
    }
    if (action == u"queue" || action == u"counters") {
        if (request.method != "GET")
            return badMethod();
        if (action == u"queue") {
            auto queue = m_sim.queuedStanzas(key);
            return queue ? json(200, *queue) : fromError(queue.error());
        }
        auto counters = m_sim.relayCounters(key);
        return counters ? json(200, *counters) : fromError(counters.error());
    }
    if (request.method != "POST")
        return badMethod();
    auto body = bodyObject(request);
    if (!body)
        return error(400, QStringLiteral("bad_json"), QStringLiteral("body must be a JSON object"));
    core::Status s;
    if (action == u"stream-error") {
        s = m_sim.sendStreamError(key, body->value(u"kind").toVariant().toString());
    } else if (action == u"drop") {
        s = m_sim.dropConnections(key);
    } else if (action == u"fail-next-login") {
        const int reason = body->value(u"reason").toInt(401);
        if (reason < 400 || reason > 599)
            return error(400, QStringLiteral("wasim_bad_fault"), QStringLiteral("reason must be 400..599"));
        s = m_sim.failNextLogin(key, reason);
    } else if (action == u"hold" || action == u"release") {
        s = m_sim.holdDelivery(key, action == u"hold");
    } else if (action == u"drop-after") {
        const QJsonValue count = body->value(u"count");
        if (!count.isDouble() || count.toDouble() < 1 || count.toDouble() > 1e6)
            return error(400, QStringLiteral("wasim_bad_fault"), QStringLiteral("count must be 1..1000000"));
        s = m_sim.dropAfterDeliveries(key, count.toInt());
    } else {
        return error(404, QStringLiteral("not_found"), QStringLiteral("no such device action"));
    }
    return s ? ok() : fromError(s.error());
}

} // namespace atende::wasim
