#include "op_requests.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QUrl>
#include <QUrlQuery>

#include <google/protobuf/descriptor.h>

namespace atende::test {

using google::protobuf::FieldDescriptor;

namespace {

QString name(const FieldDescriptor *f)
{
    return QString::fromStdString(f->name());
}

QString jsonName(const FieldDescriptor *f)
{
    return QString::fromStdString(f->json_name());
}

QString scalarText(const QJsonValue &v)
{
    if (v.isString())
        return v.toString();
    if (v.isBool())
        return v.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    if (v.isDouble())
        return QString::number(v.toDouble(), 'g', 17);
    return {};
}

} // namespace

bool isStringField(const FieldDescriptor *f)
{
    return f->type() == FieldDescriptor::TYPE_STRING;
}

bool isIdField(const FieldDescriptor *f)
{
    if (!isStringField(f))
        return false;
    const QString n = name(f);
    if (f->is_repeated())
        return n.endsWith(QLatin1String("_ids")) || n == QLatin1String("ids");
    return n == QLatin1String("id") || n.endsWith(QLatin1String("_id"));
}

bool isSearchField(const FieldDescriptor *f)
{
    if (!isStringField(f) || f->is_repeated())
        return false;
    const QString n = name(f);
    return n == QLatin1String("search") || n == QLatin1String("query") || n == QLatin1String("q") ||
           n == QLatin1String("email");
}

QJsonValue fillerFor(const FieldDescriptor *f)
{
    const QString n = name(f);
    QJsonValue one;
    switch (f->type()) {
    case FieldDescriptor::TYPE_STRING: {
        static int counter = 0;
        if (n.contains(QLatin1String("email")))
            one = QStringLiteral("iso%1@acme.example").arg(++counter);
        else if (n.contains(QLatin1String("password")))
            one = QStringLiteral("pw-isolation-%1-long").arg(++counter);
        else if (n == QLatin1String("role"))
            one = QStringLiteral("agent");
        else if (n.contains(QLatin1String("color")))
            one = QStringLiteral("#336699");
        else if (n == QLatin1String("language"))
            one = QStringLiteral("pt_BR");
        else if (n.contains(QLatin1String("time_zone")))
            one = QStringLiteral("America/Sao_Paulo");
        else if (n == QLatin1String("availability") || n == QLatin1String("state"))
            one = QStringLiteral("online");
        else if (n == QLatin1String("scopes") || n == QLatin1String("scope"))
            one = QStringLiteral("tickets:read");
        else if (n.contains(QLatin1String("token")))
            one = QStringLiteral("atr_notarealtoken");
        else
            one = QStringLiteral("Iso %1").arg(++counter);
        break;
    }
    case FieldDescriptor::TYPE_BOOL:
        one = true;
        break;
    case FieldDescriptor::TYPE_ENUM:
        one = QString::fromStdString(f->enum_type()->value(f->enum_type()->value_count() > 1 ? 1 : 0)->name());
        break;
    case FieldDescriptor::TYPE_MESSAGE:
    case FieldDescriptor::TYPE_GROUP:
        one = QJsonObject{};
        break;
    case FieldDescriptor::TYPE_BYTES:
        one = QStringLiteral("aXNv");
        break;
    default: // numbers; 64-bit ones are strings in proto JSON but numbers are accepted too
        one = 5;
        break;
    }
    if (f->is_repeated())
        return QJsonArray{one};
    return one;
}

QStringList pathParameters(const server::api::Operation &op)
{
    QStringList out;
    static const QRegularExpression re(QStringLiteral("\\{([A-Za-z0-9_]+)\\}"));
    auto it = re.globalMatch(op.path);
    while (it.hasNext())
        out << it.next().captured(1);
    return out;
}

OpRequest buildRequest(const server::api::Operation &op, const ValueFor &valueFor)
{
    QJsonObject body;
    QHash<QString, QJsonValue> byName;
    for (int i = 0; i < op.request->field_count(); ++i) {
        const FieldDescriptor *f = op.request->field(i);
        std::optional<QJsonValue> v = valueFor ? valueFor(f) : std::nullopt;
        const QJsonValue value = v ? *v : fillerFor(f);
        if (value.isUndefined())
            continue;
        body.insert(jsonName(f), value);
        byName.insert(name(f), value);
        byName.insert(jsonName(f), value);
    }
    QString path = op.path;
    for (const QString &p : pathParameters(op)) {
        const QString text = scalarText(byName.value(p));
        path.replace(QLatin1Char('{') + p + QLatin1Char('}'),
                     QString::fromLatin1(QUrl::toPercentEncoding(text.isEmpty() ? QStringLiteral("x") : text)));
    }
    OpRequest r;
    r.method = op.method;
    if (op.method == "GET" || op.method == "DELETE") {
        QUrlQuery q;
        for (auto it = body.constBegin(); it != body.constEnd(); ++it) {
            if (it.value().isArray()) {
                for (const QJsonValue &v : it.value().toArray())
                    if (!scalarText(v).isEmpty())
                        q.addQueryItem(it.key(), QString::fromLatin1(QUrl::toPercentEncoding(scalarText(v))));
            } else if (!scalarText(it.value()).isEmpty()) {
                q.addQueryItem(it.key(), QString::fromLatin1(QUrl::toPercentEncoding(scalarText(it.value()))));
            }
        }
        if (!q.isEmpty())
            path += QLatin1Char('?') + q.toString(QUrl::FullyEncoded);
    } else {
        r.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
    }
    r.path = path.toUtf8();
    return r;
}

} // namespace atende::test
