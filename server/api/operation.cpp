#include "server/api/operation.h"

#include <google/protobuf/message.h>
#include <google/protobuf/message_lite.h>

namespace atende::server::api {

MessagePtr Operation::newRequest() const
{
    const google::protobuf::Message *prototype =
        google::protobuf::MessageFactory::generated_factory()->GetPrototype(request);
    return MessagePtr(prototype->New());
}

bool OperationTable::add(Operation op)
{
    if (op.name.isEmpty() || op.permission.isEmpty() || !op.request || !op.response || !op.handler)
        return false;
    for (const Operation &o : m_ops) {
        if (o.name == op.name || (o.method == op.method && o.path == op.path))
            return false;
    }
    m_ops.append(std::move(op));
    return true;
}

const Operation *OperationTable::find(const QString &name) const
{
    for (const Operation &o : m_ops)
        if (o.name == name)
            return &o;
    return nullptr;
}

namespace {
bool matchPath(const QString &pattern, const QString &path, QMap<QString, QString> *params)
{
    const QStringList want = pattern.split(QLatin1Char('/'));
    const QStringList have = path.split(QLatin1Char('/'));
    if (want.size() != have.size())
        return false;
    QMap<QString, QString> found;
    for (qsizetype i = 0; i < want.size(); ++i) {
        const QString &w = want.at(i);
        if (w.startsWith(QLatin1Char('{')) && w.endsWith(QLatin1Char('}'))) {
            if (have.at(i).isEmpty())
                return false;
            found.insert(w.mid(1, w.size() - 2), have.at(i));
        } else if (w != have.at(i)) {
            return false;
        }
    }
    if (params)
        *params = std::move(found);
    return true;
}
} // namespace

const Operation *OperationTable::match(const QByteArray &method, const QByteArray &path,
                                       QMap<QString, QString> *pathParams, bool *methodMismatch) const
{
    const QString p = QString::fromUtf8(path);
    bool mismatch = false;
    for (const Operation &o : m_ops) {
        QMap<QString, QString> params;
        if (!matchPath(o.path, p, &params))
            continue;
        if (o.method != method) {
            mismatch = true;
            continue;
        }
        if (pathParams)
            *pathParams = std::move(params);
        return &o;
    }
    if (methodMismatch)
        *methodMismatch = mismatch;
    return nullptr;
}

} // namespace atende::server::api
