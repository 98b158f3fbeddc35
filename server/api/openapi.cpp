#include "server/api/openapi.h"

#include "server/api/dispatcher.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSet>

#include "atende/api/v1/error.pb.h"

#include <google/protobuf/descriptor.h>

namespace atende::server::api {

namespace pb = google::protobuf;

namespace {

QString schemaName(const pb::Descriptor *d)
{
    return QString::fromStdString(d->full_name());
}

QString refTo(const pb::Descriptor *d)
{
    return QStringLiteral("#/components/schemas/") + schemaName(d);
}

class SchemaBuilder {
public:
    QJsonObject schemas;

    QJsonObject messageRef(const pb::Descriptor *d)
    {
        const std::string &n = d->full_name();
        if (n == "google.protobuf.Struct")
            return QJsonObject{{QStringLiteral("type"), QStringLiteral("object")},
                               {QStringLiteral("additionalProperties"), true}};
        if (n == "google.protobuf.Timestamp")
            return QJsonObject{{QStringLiteral("type"), QStringLiteral("string")},
                               {QStringLiteral("format"), QStringLiteral("date-time")}};
        if (n == "google.protobuf.Value" || n == "google.protobuf.Any")
            return QJsonObject{};
        add(d);
        return QJsonObject{{QStringLiteral("$ref"), refTo(d)}};
    }

    QJsonObject fieldSchema(const pb::FieldDescriptor *f)
    {
        if (f->is_map()) {
            const pb::FieldDescriptor *value = f->message_type()->map_value();
            return QJsonObject{{QStringLiteral("type"), QStringLiteral("object")},
                               {QStringLiteral("additionalProperties"), singleSchema(value)}};
        }
        QJsonObject s = singleSchema(f);
        if (f->is_repeated())
            return QJsonObject{{QStringLiteral("type"), QStringLiteral("array")}, {QStringLiteral("items"), s}};
        return s;
    }

    QJsonObject singleSchema(const pb::FieldDescriptor *f)
    {
        auto typed = [](const char *type, const char *format = nullptr) {
            QJsonObject o{{QStringLiteral("type"), QString::fromLatin1(type)}};
            if (format)
                o.insert(QStringLiteral("format"), QString::fromLatin1(format));
            return o;
        };
        switch (f->type()) {
        case pb::FieldDescriptor::TYPE_INT32:
        case pb::FieldDescriptor::TYPE_SINT32:
        case pb::FieldDescriptor::TYPE_SFIXED32: return typed("integer", "int32");
        case pb::FieldDescriptor::TYPE_UINT32:
        case pb::FieldDescriptor::TYPE_FIXED32: return typed("integer", "int64");
        case pb::FieldDescriptor::TYPE_INT64:
        case pb::FieldDescriptor::TYPE_SINT64:
        case pb::FieldDescriptor::TYPE_SFIXED64:
        case pb::FieldDescriptor::TYPE_UINT64:
        case pb::FieldDescriptor::TYPE_FIXED64: return typed("string", "int64");
        case pb::FieldDescriptor::TYPE_DOUBLE: return typed("number", "double");
        case pb::FieldDescriptor::TYPE_FLOAT: return typed("number", "float");
        case pb::FieldDescriptor::TYPE_BOOL: return typed("boolean");
        case pb::FieldDescriptor::TYPE_STRING: return typed("string");
        case pb::FieldDescriptor::TYPE_BYTES: return typed("string", "byte");
        case pb::FieldDescriptor::TYPE_ENUM: {
            QJsonArray values;
            for (int i = 0; i < f->enum_type()->value_count(); ++i)
                values.append(QString::fromStdString(f->enum_type()->value(i)->name()));
            QJsonObject o = typed("string");
            o.insert(QStringLiteral("enum"), values);
            return o;
        }
        case pb::FieldDescriptor::TYPE_MESSAGE:
        case pb::FieldDescriptor::TYPE_GROUP: return messageRef(f->message_type());
        }
        return {};
    }

    void add(const pb::Descriptor *d)
    {
        const QString name = schemaName(d);
        if (m_seen.contains(name))
            return;
        m_seen.insert(name);
        QJsonObject props;
        for (int i = 0; i < d->field_count(); ++i) {
            const pb::FieldDescriptor *f = d->field(i);
            props.insert(QString::fromStdString(f->json_name()), fieldSchema(f));
        }
        schemas.insert(name, QJsonObject{{QStringLiteral("type"), QStringLiteral("object")},
                                         {QStringLiteral("properties"), props},
                                         {QStringLiteral("additionalProperties"), false}});
    }

private:
    QSet<QString> m_seen;
};

QJsonObject errorResponse(const char *description)
{
    return QJsonObject{
        {QStringLiteral("description"), QString::fromLatin1(description)},
        {QStringLiteral("content"),
         QJsonObject{{QStringLiteral("application/json"),
                      QJsonObject{{QStringLiteral("schema"),
                                   QJsonObject{{QStringLiteral("$ref"),
                                                QStringLiteral("#/components/schemas/atende.api.v1.Error")}}}}}}}};
}

} // namespace

QByteArray buildOpenApi(const OperationTable &table, const QString &version)
{
    SchemaBuilder sb;
    QJsonObject paths;
    static const QRegularExpression param(QStringLiteral("\\{([A-Za-z0-9_]+)\\}"));

    for (const Operation &op : table.all()) {
        QJsonArray parameters;
        QSet<QString> pathParams;
        for (auto it = param.globalMatch(op.path); it.hasNext();) {
            const QString name = it.next().captured(1);
            pathParams.insert(name);
            const pb::FieldDescriptor *f = op.request->FindFieldByName(name.toStdString());
            if (!f)
                f = op.request->FindFieldByCamelcaseName(name.toStdString());
            parameters.append(QJsonObject{{QStringLiteral("name"), name},
                                          {QStringLiteral("in"), QStringLiteral("path")},
                                          {QStringLiteral("required"), true},
                                          {QStringLiteral("schema"), f ? sb.singleSchema(f) : QJsonObject{}}});
        }
        QJsonObject operation{
            {QStringLiteral("operationId"), op.name},
            {QStringLiteral("summary"), op.summary},
            {QStringLiteral("tags"), QJsonArray{op.tag}},
            {QStringLiteral("x-permission"), op.permission},
        };
        const bool hasBody = op.method != "GET" && op.method != "DELETE";
        if (hasBody) {
            operation.insert(
                QStringLiteral("requestBody"),
                QJsonObject{{QStringLiteral("required"), false},
                            {QStringLiteral("content"),
                             QJsonObject{{QStringLiteral("application/json"),
                                          QJsonObject{{QStringLiteral("schema"), sb.messageRef(op.request)}}}}}});
        } else {
            sb.add(op.request);
            for (int i = 0; i < op.request->field_count(); ++i) {
                const pb::FieldDescriptor *f = op.request->field(i);
                const QString json = QString::fromStdString(f->json_name());
                if (pathParams.contains(json) || pathParams.contains(QString::fromStdString(f->name())) ||
                    f->type() == pb::FieldDescriptor::TYPE_MESSAGE)
                    continue;
                parameters.append(QJsonObject{{QStringLiteral("name"), json},
                                              {QStringLiteral("in"), QStringLiteral("query")},
                                              {QStringLiteral("required"), false},
                                              {QStringLiteral("schema"), sb.fieldSchema(f)}});
            }
        }
        if (!parameters.isEmpty())
            operation.insert(QStringLiteral("parameters"), parameters);
        operation.insert(
            QStringLiteral("responses"),
            QJsonObject{
                {QStringLiteral("200"),
                 QJsonObject{{QStringLiteral("description"), QStringLiteral("OK")},
                             {QStringLiteral("content"),
                              QJsonObject{{QStringLiteral("application/json"),
                                           QJsonObject{{QStringLiteral("schema"), sb.messageRef(op.response)}}}}}}},
                {QStringLiteral("default"), errorResponse("Error {code, message, details}")}});
        if (op.permission != QLatin1String(perm::kPublic))
            operation.insert(QStringLiteral("security"),
                             QJsonArray{QJsonObject{{QStringLiteral("bearer"), QJsonArray{}}}});

        QJsonObject item = paths.value(op.path).toObject();
        item.insert(QString::fromLatin1(op.method.toLower()), operation);
        paths.insert(op.path, item);
    }

    // The error body is referenced by every operation.
    sb.add(atende::api::v1::Error::descriptor());

    QJsonObject doc{
        {QStringLiteral("openapi"), QStringLiteral("3.0.3")},
        {QStringLiteral("info"),
         QJsonObject{
             {QStringLiteral("title"), QStringLiteral("Atende API")},
             {QStringLiteral("version"), version},
             {QStringLiteral("description"), QStringLiteral("REST (protobuf canonical JSON) and WebSocket (/api/v1/ws, "
                                                            "binary protobuf ClientFrame/ServerFrame or JSON text "
                                                            "frames) over one operation table.")}}},
        {QStringLiteral("paths"), paths},
        {QStringLiteral("components"),
         QJsonObject{{QStringLiteral("schemas"), sb.schemas},
                     {QStringLiteral("securitySchemes"),
                      QJsonObject{{QStringLiteral("bearer"),
                                   QJsonObject{{QStringLiteral("type"), QStringLiteral("http")},
                                               {QStringLiteral("scheme"), QStringLiteral("bearer")},
                                               {QStringLiteral("bearerFormat"), QStringLiteral("JWT")}}}}}}},
    };
    return QJsonDocument(doc).toJson(QJsonDocument::Indented);
}

} // namespace atende::server::api
