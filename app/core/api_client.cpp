#include "app/core/api_client.h"

#include "app/core/logging.h"

#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QSet>

#include <google/protobuf/descriptor.h>
#include <google/protobuf/util/json_util.h>

namespace atende::app::core {

namespace pb = google::protobuf;

struct ApiClient::Pending {
    ApiOperation op;
    std::shared_ptr<pb::Message> request;
    QPointer<QObject> context;
    bool guarded = false;
    RawCallback callback;
    bool sentToken = false;
    bool retried = false;
};

namespace {

// A set scalar field as URL text (proto3: "set" = not the default value).
QString scalarText(const pb::Message &m, const pb::FieldDescriptor *f, int index)
{
    const pb::Reflection *r = m.GetReflection();
    const bool rep = f->is_repeated();
    switch (f->cpp_type()) {
    case pb::FieldDescriptor::CPPTYPE_STRING:
        return QString::fromStdString(rep ? r->GetRepeatedString(m, f, index) : r->GetString(m, f));
    case pb::FieldDescriptor::CPPTYPE_INT32:
        return QString::number(rep ? r->GetRepeatedInt32(m, f, index) : r->GetInt32(m, f));
    case pb::FieldDescriptor::CPPTYPE_INT64:
        return QString::number(rep ? r->GetRepeatedInt64(m, f, index) : r->GetInt64(m, f));
    case pb::FieldDescriptor::CPPTYPE_UINT32:
        return QString::number(rep ? r->GetRepeatedUInt32(m, f, index) : r->GetUInt32(m, f));
    case pb::FieldDescriptor::CPPTYPE_UINT64:
        return QString::number(rep ? r->GetRepeatedUInt64(m, f, index) : r->GetUInt64(m, f));
    case pb::FieldDescriptor::CPPTYPE_BOOL:
        return (rep ? r->GetRepeatedBool(m, f, index) : r->GetBool(m, f)) ? QStringLiteral("true")
                                                                          : QStringLiteral("false");
    case pb::FieldDescriptor::CPPTYPE_DOUBLE:
        return QString::number(rep ? r->GetRepeatedDouble(m, f, index) : r->GetDouble(m, f));
    case pb::FieldDescriptor::CPPTYPE_FLOAT:
        return QString::number(rep ? r->GetRepeatedFloat(m, f, index) : r->GetFloat(m, f));
    case pb::FieldDescriptor::CPPTYPE_ENUM:
        return QString::fromStdString(rep ? r->GetRepeatedEnum(m, f, index)->name() : r->GetEnum(m, f)->name());
    case pb::FieldDescriptor::CPPTYPE_MESSAGE: break;
    }
    return {};
}

bool isSet(const pb::Message &m, const pb::FieldDescriptor *f)
{
    return f->is_repeated() ? m.GetReflection()->FieldSize(m, f) > 0 : m.GetReflection()->HasField(m, f);
}

} // namespace

ApiClient::ApiClient(QNetworkAccessManager *network, QObject *parent)
    : QObject(parent)
    , m_network(network)
{}

ApiClient::~ApiClient()
{
    for (const QPointer<QNetworkReply> &reply : m_inFlight)
        if (reply) {
            reply->disconnect(this);
            reply->abort();
        }
}

QString ApiClient::requestPath(const ApiOperation &op, const pb::Message &request, QUrlQuery *query)
{
    QString path = QString::fromLatin1(op.path);
    QSet<QString> used;
    const pb::Descriptor *d = request.GetDescriptor();
    qsizetype open = 0;
    while ((open = path.indexOf(QLatin1Char('{'), open)) >= 0) {
        const qsizetype close = path.indexOf(QLatin1Char('}'), open);
        if (close < 0)
            break;
        const QString name = path.mid(open + 1, close - open - 1);
        const pb::FieldDescriptor *f = d->FindFieldByName(name.toStdString());
        const QString value = f ? scalarText(request, f, 0) : QString();
        used.insert(name);
        const QString encoded = QString::fromLatin1(QUrl::toPercentEncoding(value));
        path.replace(open, close - open + 1, encoded);
        open += encoded.size();
    }
    const bool inQuery = qstrcmp(op.method, "GET") == 0 || qstrcmp(op.method, "DELETE") == 0;
    if (query && inQuery) {
        for (int i = 0; i < d->field_count(); ++i) {
            const pb::FieldDescriptor *f = d->field(i);
            if (used.contains(QString::fromStdString(f->name())) || !isSet(request, f) ||
                f->cpp_type() == pb::FieldDescriptor::CPPTYPE_MESSAGE)
                continue;
            const int n = f->is_repeated() ? request.GetReflection()->FieldSize(request, f) : 1;
            for (int k = 0; k < n; ++k)
                query->addQueryItem(QString::fromStdString(f->name()), scalarText(request, f, k));
        }
    }
    return path;
}

QByteArray ApiClient::toJson(const pb::Message &message)
{
    std::string out;
    pb::util::JsonPrintOptions options;
    (void)pb::util::MessageToJsonString(message, &out, options);
    return QByteArray(out.data(), qsizetype(out.size()));
}

bool ApiClient::fromJson(const QByteArray &json, pb::Message *message, QString *problem)
{
    pb::util::JsonParseOptions options;
    options.ignore_unknown_fields = true; // a newer server may add fields
    const auto status =
        pb::util::JsonStringToMessage(pb::StringPiece(json.constData(), size_t(json.size())), message, options);
    if (!status.ok() && problem)
        *problem = QString::fromStdString(std::string(status.message()));
    return status.ok();
}

ApiError ApiClient::errorFromBody(int status, const QByteArray &body)
{
    const QJsonObject o = QJsonDocument::fromJson(body).object();
    ApiError e;
    e.httpStatus = status;
    e.code = o.value(QStringLiteral("code")).toString();
    e.message = o.value(QStringLiteral("message")).toString();
    e.details = o.value(QStringLiteral("details")).toObject();
    if (e.code.isEmpty())
        e.code = status == 401 ? QStringLiteral("unauthenticated") : QStringLiteral("bad_response");
    return e;
}

void ApiClient::callRaw(const ApiOperation &op, const pb::Message &request, QObject *context, RawCallback onDone)
{
    auto pending = std::make_shared<Pending>();
    pending->op = op;
    pending->request.reset(request.New());
    pending->request->CopyFrom(request);
    pending->context = context;
    pending->guarded = context != nullptr;
    pending->callback = std::move(onDone);
    if (m_refreshing && !m_accessToken.isEmpty() && qstrncmp(op.name, "auth.", 5) != 0) {
        m_waitingForToken.push_back(pending); // its token is about to change anyway
        return;
    }
    send(pending);
}

void ApiClient::send(const std::shared_ptr<Pending> &pending)
{
    if (!m_network)
        return;
    QUrlQuery query;
    const QString path = requestPath(pending->op, *pending->request, &query);
    QUrl url = m_baseUrl;
    QString basePath = url.path();
    if (basePath.endsWith(QLatin1Char('/')))
        basePath.chop(1);
    url.setPath(basePath + path);
    url.setQuery(query);
    QNetworkRequest req(url);
    req.setTransferTimeout(m_timeoutMs);
    req.setRawHeader("Accept", "application/json");
    // The public auth operations carry their own credentials; a stale bearer must not get in their way.
    const QByteArray name(pending->op.name);
    const bool publicOp = name == "auth.login" || name == "auth.refresh" || name == "auth.logout";
    pending->sentToken = !publicOp && !m_accessToken.isEmpty();
    if (pending->sentToken)
        req.setRawHeader("Authorization", "Bearer " + m_accessToken.toLatin1());
    QNetworkReply *reply = nullptr;
    const QByteArray method(pending->op.method);
    if (method == "GET") {
        reply = m_network->get(req);
    } else if (method == "DELETE") {
        reply = m_network->deleteResource(req);
    } else {
        req.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
        reply = m_network->sendCustomRequest(req, method, toJson(*pending->request));
    }
    m_inFlight.push_back(reply);
    connect(reply, &QNetworkReply::finished, this, [this, pending, reply] { finished(pending, reply); });
}

void ApiClient::finished(const std::shared_ptr<Pending> &pending, QNetworkReply *reply)
{
    reply->deleteLater();
    std::erase_if(m_inFlight, [reply](const QPointer<QNetworkReply> &r) { return !r || r == reply; });
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QByteArray body = reply->readAll();
    if (pending->guarded && !pending->context)
        return;
    if (status == 0) {
        ApiError e;
        e.code = reply->error() == QNetworkReply::OperationCanceledError ? QStringLiteral("timeout")
                                                                         : QStringLiteral("network");
        e.message = reply->errorString();
        setReachable(false);
        qCInfo(lcCore) << pending->op.name << "failed:" << e.code << e.message;
        pending->callback(&e, {});
        return;
    }
    setReachable(true);
    if (status == 401 && pending->sentToken && !pending->retried && m_refresher) {
        pending->retried = true;
        m_waitingForToken.push_back(pending);
        startRefresh();
        return;
    }
    if (status < 200 || status >= 300) {
        const ApiError e = errorFromBody(status, body);
        qCInfo(lcCore) << pending->op.name << "answered" << status << e.code << e.reason();
        pending->callback(&e, {});
        return;
    }
    pending->callback(nullptr, body);
}

void ApiClient::startRefresh()
{
    if (m_refreshing)
        return;
    m_refreshing = true;
    QPointer<ApiClient> self(this);
    m_refresher([self](bool ok) {
        if (!self)
            return;
        self->m_refreshing = false;
        std::vector<std::shared_ptr<Pending>> waiting;
        waiting.swap(self->m_waitingForToken);
        for (const auto &p : waiting) {
            if (ok) {
                self->send(p);
            } else if (!p->guarded || p->context) {
                const ApiError e{401, QStringLiteral("unauthenticated"), QStringLiteral("the session expired"), {}};
                p->callback(&e, {});
            }
        }
        if (!ok)
            Q_EMIT self->sessionRejected();
    });
}

void ApiClient::setReachable(bool reachable)
{
    if (m_reachable == reachable)
        return;
    m_reachable = reachable;
    Q_EMIT reachabilityChanged(reachable);
}

} // namespace atende::app::core
