#include "server/api/json_codec.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <google/protobuf/descriptor.h>
#include <google/protobuf/util/json_util.h>

namespace atende::server::api {

namespace pb = google::protobuf;

atende::core::Status parseJson(const QByteArray &json, pb::Message *message)
{
    if (json.trimmed().isEmpty())
        return {};
    // protobuf accepts some non-JSON (e.g. trailing garbage after the object); check syntax with Qt first so
    // the error code is precise.
    QJsonParseError perr{};
    const QJsonDocument doc = QJsonDocument::fromJson(json, &perr);
    if (perr.error != QJsonParseError::NoError)
        return atende::core::Error::make(
            atende::core::errc::kMalformedJson,
            QStringLiteral("request body is not valid JSON: %1 at offset %2").arg(perr.errorString()).arg(perr.offset));
    if (!doc.isObject())
        return atende::core::Error::make(atende::core::errc::kMalformedJson,
                                         QStringLiteral("request body must be a JSON object"));

    pb::util::JsonParseOptions options;
    options.ignore_unknown_fields = false;
    const std::string in(json.constData(), size_t(json.size()));
    const pb::util::Status st = pb::util::JsonStringToMessage(in, message, options);
    if (st.ok())
        return {};
    const QString reason = QString::fromStdString(std::string(st.message())).left(300);
    const QJsonObject details{{QStringLiteral("reason"), reason}};
    if (reason.contains(QLatin1String("Cannot find field")))
        return atende::core::Error::make(atende::core::errc::kUnknownField,
                                         QStringLiteral("request has a field this operation does not know"), details);
    return atende::core::Error::make(atende::core::errc::kInvalidArgument,
                                     QStringLiteral("a field has a value of the wrong type"), details);
}

QByteArray toJson(const pb::Message &message)
{
    pb::util::JsonPrintOptions options;
    options.always_print_primitive_fields = true;
    options.preserve_proto_field_names = false;
    std::string out;
    const pb::util::Status st = pb::util::MessageToJsonString(message, &out, options);
    if (!st.ok())
        return QByteArrayLiteral("{}");
    return QByteArray(out.data(), qsizetype(out.size()));
}

namespace {

const pb::FieldDescriptor *findField(const pb::Descriptor *d, const QString &name)
{
    const std::string n = name.toStdString();
    if (const pb::FieldDescriptor *f = d->FindFieldByName(n))
        return f;
    return d->FindFieldByCamelcaseName(n);
}

atende::core::Status setScalar(pb::Message *m, const pb::FieldDescriptor *f, const QString &text)
{
    const pb::Reflection *r = m->GetReflection();
    const bool repeated = f->is_repeated();
    bool ok = true;
    auto bad = [&] {
        return atende::core::Error::make(
            atende::core::errc::kInvalidArgument,
            QStringLiteral("parameter %1 has an invalid value").arg(QString::fromStdString(f->json_name())),
            QJsonObject{{QStringLiteral("field"), QString::fromStdString(f->json_name())}});
    };
    switch (f->cpp_type()) {
    case pb::FieldDescriptor::CPPTYPE_STRING: {
        const std::string v = f->type() == pb::FieldDescriptor::TYPE_BYTES
                                  ? QByteArray::fromBase64(text.toLatin1()).toStdString()
                                  : text.toStdString();
        repeated ? r->AddString(m, f, v) : r->SetString(m, f, v);
        return {};
    }
    case pb::FieldDescriptor::CPPTYPE_INT32: {
        const int v = text.toInt(&ok);
        if (!ok)
            return bad();
        repeated ? r->AddInt32(m, f, v) : r->SetInt32(m, f, v);
        return {};
    }
    case pb::FieldDescriptor::CPPTYPE_INT64: {
        const qint64 v = text.toLongLong(&ok);
        if (!ok)
            return bad();
        repeated ? r->AddInt64(m, f, v) : r->SetInt64(m, f, v);
        return {};
    }
    case pb::FieldDescriptor::CPPTYPE_UINT32: {
        const uint v = text.toUInt(&ok);
        if (!ok)
            return bad();
        repeated ? r->AddUInt32(m, f, v) : r->SetUInt32(m, f, v);
        return {};
    }
    case pb::FieldDescriptor::CPPTYPE_UINT64: {
        const quint64 v = text.toULongLong(&ok);
        if (!ok)
            return bad();
        repeated ? r->AddUInt64(m, f, v) : r->SetUInt64(m, f, v);
        return {};
    }
    case pb::FieldDescriptor::CPPTYPE_BOOL: {
        if (text != QLatin1String("true") && text != QLatin1String("false"))
            return bad();
        repeated ? r->AddBool(m, f, text == QLatin1String("true")) : r->SetBool(m, f, text == QLatin1String("true"));
        return {};
    }
    case pb::FieldDescriptor::CPPTYPE_DOUBLE: {
        const double v = text.toDouble(&ok);
        if (!ok)
            return bad();
        repeated ? r->AddDouble(m, f, v) : r->SetDouble(m, f, v);
        return {};
    }
    case pb::FieldDescriptor::CPPTYPE_FLOAT: {
        const float v = text.toFloat(&ok);
        if (!ok)
            return bad();
        repeated ? r->AddFloat(m, f, v) : r->SetFloat(m, f, v);
        return {};
    }
    case pb::FieldDescriptor::CPPTYPE_ENUM: {
        const pb::EnumValueDescriptor *ev = f->enum_type()->FindValueByName(text.toStdString());
        if (!ev)
            return bad();
        repeated ? r->AddEnum(m, f, ev) : r->SetEnum(m, f, ev);
        return {};
    }
    case pb::FieldDescriptor::CPPTYPE_MESSAGE: break;
    }
    return atende::core::Error::make(
        atende::core::errc::kInvalidArgument,
        QStringLiteral("parameter %1 cannot be given in the URL").arg(QString::fromStdString(f->json_name())));
}

atende::core::Status bindOne(const QString &name, const QString &value, pb::Message *message, bool allowRepeated)
{
    const pb::FieldDescriptor *f = findField(message->GetDescriptor(), name);
    if (!f)
        return atende::core::Error::make(atende::core::errc::kUnknownField,
                                         QStringLiteral("unknown parameter %1").arg(name.left(64)),
                                         QJsonObject{{QStringLiteral("field"), name.left(64)}});
    if (f->is_repeated() && !allowRepeated)
        return atende::core::Error::make(atende::core::errc::kInvalidArgument,
                                         QStringLiteral("parameter %1 is a list").arg(name.left(64)));
    return setScalar(message, f, value);
}

} // namespace

atende::core::Status bindParameters(const QMap<QString, QString> &params, pb::Message *message)
{
    for (auto it = params.cbegin(); it != params.cend(); ++it) {
        if (auto st = bindOne(it.key(), it.value(), message, false); !st.ok())
            return st;
    }
    return {};
}

atende::core::Status bindQuery(const QUrlQuery &query, pb::Message *message)
{
    for (const auto &[key, value] : query.queryItems(QUrl::FullyDecoded)) {
        if (auto st = bindOne(key, value, message, true); !st.ok())
            return st;
    }
    return {};
}

QByteArray errorJson(const atende::core::Error &error)
{
    QJsonObject o{{QStringLiteral("code"), error.code},
                  {QStringLiteral("message"), error.message},
                  {QStringLiteral("details"), error.details}};
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

} // namespace atende::server::api
