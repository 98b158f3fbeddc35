#include "app/console/emoji_catalog.h"

#include <QCoreApplication>
#include <QHash>
#include <QStringList>

namespace atende::app::console {

namespace {

struct Raw {
    const char *text;
    const char *en;
    const char *pt;
};

// clang-format off
const Raw kSmileys[] = {
    {"😀", "grinning face", "rosto sorrindo"}, {"😃", "smiling face big eyes", "sorriso olhos grandes"},
    {"😄", "smile", "sorriso"}, {"😁", "beaming face", "rosto radiante"}, {"😆", "laughing", "rindo"},
    {"😅", "sweat smile", "sorriso suado"}, {"😂", "tears of joy", "lágrimas de alegria"},
    {"🤣", "rolling on the floor laughing", "rolando de rir"}, {"🙂", "slightly smiling", "sorriso leve"},
    {"😉", "wink", "piscadela"}, {"😊", "blush smiling eyes", "olhos sorridentes corado"},
    {"😇", "angel halo", "anjo auréola"}, {"🥰", "in love hearts", "apaixonado corações"},
    {"😍", "heart eyes", "olhos de coração"}, {"😘", "blowing a kiss", "mandando beijo"},
    {"😋", "yummy", "delícia"}, {"😎", "cool sunglasses", "óculos escuros legal"},
    {"🤩", "star struck", "deslumbrado estrelas"}, {"🥳", "party celebration", "festa comemoração"},
    {"🤔", "thinking", "pensando"}, {"🤨", "raised eyebrow", "sobrancelha levantada"},
    {"😐", "neutral face", "rosto neutro"}, {"😶", "no mouth speechless", "sem palavras"},
    {"🙄", "rolling eyes", "revirando os olhos"}, {"😏", "smirk", "sorriso malicioso"},
    {"😬", "grimacing", "careta"}, {"😌", "relieved", "aliviado"}, {"😔", "pensive", "pensativo triste"},
    {"😴", "sleeping", "dormindo"}, {"😷", "mask sick", "máscara doente"}, {"🤒", "fever thermometer", "febre termômetro"},
    {"🤯", "mind blown", "cabeça explodindo"}, {"😕", "confused", "confuso"}, {"😟", "worried", "preocupado"},
    {"🙁", "frowning", "franzindo"}, {"😮", "surprised open mouth", "surpreso boca aberta"},
    {"😲", "astonished", "espantado"}, {"😳", "flushed embarrassed", "envergonhado corado"},
    {"🥺", "pleading", "suplicando"}, {"😢", "crying", "chorando"}, {"😭", "sobbing", "chorando muito"},
    {"😱", "screaming fear", "gritando medo"}, {"😤", "huffing", "bufando"}, {"😡", "angry pouting", "bravo irritado"},
    {"🤗", "hug", "abraço"}, {"🤫", "shush quiet", "silêncio"}, {"🤝", "handshake deal", "aperto de mão acordo"},
};
const Raw kGestures[] = {
    {"👍", "thumbs up like", "joinha positivo"}, {"👎", "thumbs down", "polegar para baixo negativo"},
    {"👌", "ok hand", "mão ok"}, {"✌️", "victory peace", "vitória paz"}, {"🤞", "fingers crossed", "dedos cruzados"},
    {"👋", "waving hand hello", "mão acenando olá tchau"}, {"👏", "clapping", "palmas aplausos"},
    {"🙌", "raising hands hooray", "mãos para cima viva"}, {"🙏", "folded hands please thanks", "mãos juntas por favor obrigado"},
    {"💪", "flexed biceps strong", "bíceps força"}, {"👉", "pointing right", "apontando direita"},
    {"👈", "pointing left", "apontando esquerda"}, {"👆", "pointing up", "apontando para cima"},
    {"👇", "pointing down", "apontando para baixo"}, {"🤙", "call me", "me liga"}, {"✋", "raised hand stop", "mão levantada pare"},
    {"🫡", "salute", "continência"}, {"🤷", "shrug", "dar de ombros"}, {"🙋", "raising hand", "levantando a mão"},
    {"🙆", "gesturing ok", "gesto ok"}, {"🙅", "gesturing no", "gesto não"}, {"💁", "information desk person", "pessoa atendente"},
};
const Raw kHearts[] = {
    {"❤️", "red heart love", "coração vermelho amor"}, {"🧡", "orange heart", "coração laranja"},
    {"💛", "yellow heart", "coração amarelo"}, {"💚", "green heart", "coração verde"},
    {"💙", "blue heart", "coração azul"}, {"💜", "purple heart", "coração roxo"},
    {"🖤", "black heart", "coração preto"}, {"💔", "broken heart", "coração partido"},
    {"💕", "two hearts", "dois corações"}, {"✨", "sparkles", "brilhos"}, {"⭐", "star", "estrela"},
    {"🔥", "fire", "fogo"}, {"💯", "hundred points", "cem pontos"}, {"✅", "check mark done", "marca de verificação feito"},
    {"❌", "cross mark", "xis errado"}, {"⚠️", "warning", "aviso atenção"}, {"❗", "exclamation", "exclamação"},
    {"❓", "question", "pergunta interrogação"}, {"🎉", "party popper congratulations", "confete parabéns"},
    {"🎁", "gift present", "presente"}, {"🏆", "trophy", "troféu"}, {"🆗", "ok button", "botão ok"},
    {"🆕", "new", "novo"}, {"🔔", "bell", "sino"}, {"💬", "speech balloon", "balão de fala"},
};
const Raw kObjects[] = {
    {"📦", "package box delivery", "pacote caixa entrega"}, {"🚚", "delivery truck", "caminhão de entrega"},
    {"📱", "mobile phone", "celular"}, {"💻", "laptop computer", "notebook computador"},
    {"📞", "telephone", "telefone"}, {"📧", "email", "e-mail"}, {"📄", "document page", "documento página"},
    {"🧾", "receipt invoice", "recibo nota fiscal"}, {"💳", "credit card", "cartão de crédito"},
    {"💰", "money bag", "saco de dinheiro"}, {"💵", "banknote dollar", "nota de dinheiro"},
    {"🛒", "shopping cart", "carrinho de compras"}, {"🏷️", "label tag price", "etiqueta preço"},
    {"📅", "calendar date", "calendário data"}, {"⏰", "alarm clock", "despertador"}, {"⏳", "hourglass waiting", "ampulheta esperando"},
    {"🔧", "wrench repair", "chave inglesa conserto"}, {"🔒", "locked", "cadeado fechado"}, {"🔑", "key", "chave"},
    {"📍", "pin location", "alfinete localização"}, {"🏠", "house home", "casa"}, {"🏪", "store shop", "loja"},
    {"✏️", "pencil", "lápis"}, {"📎", "paperclip attachment", "clipe anexo"}, {"🔍", "magnifying glass search", "lupa busca"},
};
const Raw kNature[] = {
    {"☀️", "sun", "sol"}, {"🌧️", "rain cloud", "nuvem de chuva"}, {"🌈", "rainbow", "arco-íris"},
    {"🌙", "moon night", "lua noite"}, {"🌸", "cherry blossom flower", "flor de cerejeira"},
    {"🌹", "rose", "rosa"}, {"🌻", "sunflower", "girassol"}, {"🍀", "four leaf clover luck", "trevo sorte"},
    {"☕", "coffee", "café"}, {"🍕", "pizza", "pizza"}, {"🍔", "hamburger", "hambúrguer"}, {"🍰", "cake", "bolo"},
    {"🍺", "beer", "cerveja"}, {"🎂", "birthday cake", "bolo de aniversário"}, {"🐶", "dog", "cachorro"},
    {"🐱", "cat", "gato"}, {"⚽", "soccer ball football", "bola de futebol"}, {"🚗", "car", "carro"},
    {"✈️", "airplane", "avião"}, {"🇧🇷", "flag brazil", "bandeira brasil"},
};
// clang-format on

template <size_t N> EmojiCategory category(const char *key, const char *icon, const Raw (&raw)[N])
{
    EmojiCategory c{QString::fromLatin1(key), QString::fromUtf8(icon), {}};
    for (const Raw &r : raw)
        c.emoji.append({QString::fromUtf8(r.text), QString::fromUtf8(r.en), QString::fromUtf8(r.pt)});
    return c;
}

// Lower case without accents: "coração" is found by "coracao".
QString folded(const QString &text)
{
    QString out;
    for (const QChar c : text.normalized(QString::NormalizationForm_D))
        if (c.category() != QChar::Mark_NonSpacing)
            out.append(c.toLower());
    return out;
}

} // namespace

const QList<EmojiCategory> &emojiCatalog()
{
    static const QList<EmojiCategory> catalog{
        category("smileys", "😀", kSmileys),     category("gestures", "👍", kGestures),
        category("symbols", "❤️", kHearts), category("objects", "📦", kObjects),
        category("nature", "🌸", kNature),
    };
    return catalog;
}

QString emojiCategoryName(const QString &key)
{
    static const QHash<QString, const char *> names{
        {QStringLiteral("smileys"), QT_TRANSLATE_NOOP("EmojiPicker", "Smileys")},
        {QStringLiteral("gestures"), QT_TRANSLATE_NOOP("EmojiPicker", "Gestures")},
        {QStringLiteral("symbols"), QT_TRANSLATE_NOOP("EmojiPicker", "Hearts and symbols")},
        {QStringLiteral("objects"), QT_TRANSLATE_NOOP("EmojiPicker", "Objects")},
        {QStringLiteral("nature"), QT_TRANSLATE_NOOP("EmojiPicker", "Nature, food and travel")},
    };
    const char *name = names.value(key);
    return name ? QCoreApplication::translate("EmojiPicker", name) : key;
}

QList<Emoji> searchEmoji(const QString &query)
{
    const QStringList words = folded(query).split(QLatin1Char(' '), Qt::SkipEmptyParts);
    QList<Emoji> found;
    for (const EmojiCategory &c : emojiCatalog())
        for (const Emoji &e : c.emoji) {
            const QString names = folded(e.nameEn) + QLatin1Char(' ') + folded(e.namePt);
            const bool all =
                std::all_of(words.begin(), words.end(), [&](const QString &w) { return names.contains(w); });
            if (all && !words.isEmpty())
                found.append(e);
        }
    return found;
}

} // namespace atende::app::console
