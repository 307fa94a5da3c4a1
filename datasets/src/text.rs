//! A self-contained text model for web-page text in 30 languages.
//!
//! Real samples may not ship with the project, so text is made from scratch: each language has a
//! small hand-written inventory (syllable onsets/nuclei/codas in its own script and common word
//! endings, or a character list for Han, kana for Japanese, jamo-composed Hangul for Korean) plus
//! its most frequent function words. From these a fixed vocabulary is built once per language:
//! stems from syllables, words from stems (+ ending, + compound), ordered so that shorter words tend
//! to be more frequent. Running text draws words with a Zipf–Mandelbrot law, mixed with three
//! sources of repetition that real text has and gzip feeds on: per-word fixed successors (bigrams
//! like "of the"), per-language collocations, and per-page topic words. The knobs (`ZIPF_S`,
//! `FOLLOW_P`, `PHRASE_P`, stem/ending rates) were tuned until word-type/token ratios and per-record
//! gzip ratios matched real Common Crawl text (`examples/realism.rs`, README). It is not meant to be
//! readable; it is meant to be measured.
//!
//! The vocabulary seeds depend only on the language code (never on the dataset seed), so a
//! "language" stays the same language across datasets.

use crate::prng::{self, AliasTable, Rng};
use std::sync::OnceLock;

/// Writing system of a language; decides spacing, casing and punctuation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Script {
    Latin,
    Cyrillic,
    Greek,
    Arabic,
    Hebrew,
    Devanagari,
    Thai,
    Han,
    Japanese,
    Hangul,
}

impl Script {
    /// Whether words are separated by spaces.
    pub fn spaced(self) -> bool {
        !matches!(self, Script::Han | Script::Japanese | Script::Thai)
    }

    /// Whether the script has upper/lower case (sentence-initial capitals, title case).
    pub fn cased(self) -> bool {
        matches!(self, Script::Latin | Script::Cyrillic | Script::Greek)
    }

    fn full_stop(self) -> &'static str {
        match self {
            Script::Han | Script::Japanese => "。",
            Script::Devanagari => "।",
            Script::Thai => "",
            _ => ".",
        }
    }

    fn comma(self) -> &'static str {
        match self {
            Script::Han => "，",
            Script::Japanese => "、",
            Script::Arabic => "،",
            Script::Thai => " ",
            _ => ",",
        }
    }

    fn question(self) -> &'static str {
        match self {
            Script::Han | Script::Japanese => "？",
            Script::Arabic => "؟",
            Script::Thai => "",
            _ => "?",
        }
    }

    fn exclamation(self) -> &'static str {
        match self {
            Script::Han | Script::Japanese => "！",
            Script::Thai => "",
            _ => "!",
        }
    }
}

/// How a language's words are spelled.
#[derive(Debug)]
enum Phonology {
    /// Words are 1..=`max_syllables` syllables of onset + nucleus (+ coda with `coda_p`); the
    /// inventories are space-separated and listed most common first; `-` stands for "nothing".
    Syllables {
        onsets: &'static str,
        nuclei: &'static str,
        codas: &'static str,
        coda_p: f64,
        max_syllables: u32,
        /// Optional prefix glued to some words (Arabic "ال").
        prefix: Option<(&'static str, f64)>,
    },
    /// Words are 1–4 characters of a Zipf-weighted character inventory (common chars first, then
    /// a deterministic spread over the CJK Unified Ideographs block).
    Han,
    /// Kanji stems with kana endings, katakana loanwords and hiragana words.
    Japanese,
    /// Hangul syllables composed from jamo indices (frequent jamo first), optionally with a particle.
    Hangul,
}

/// One language of the mix.
#[derive(Debug)]
pub struct Language {
    /// ISO 639-3 code, as Common Crawl writes it in `WARC-Identified-Content-Language`.
    pub code: &'static str,
    pub name: &'static str,
    /// Approximate share of pages, in percent (see [`LANGUAGES`]).
    pub share: f64,
    pub script: Script,
    /// Country-code or generic TLDs its sites use, most common first.
    pub tlds: &'static [&'static str],
    phonology: Phonology,
    /// The most frequent words, most frequent first (space-separated).
    function_words: &'static str,
    /// Probability that a content word is capitalised (German nouns).
    noun_caps: f64,
    /// Size of the generated content-word vocabulary.
    vocab_size: usize,
}

const LATIN_TLDS: &[&str] = &[
    "com", "org", "net", "info", "co.uk", "com.au", "ca", "io", "us", "in",
];

/// The language mix. Shares approximate Common Crawl's published per-crawl language statistics
/// (CC-MAIN-2023/2024, share of pages by primary CLD2 language), rounded; the long tail of ~100
/// rarer languages is left out and its weight folded into these by normalisation.
pub static LANGUAGES: &[Language] = &[
    Language {
        code: "eng",
        name: "English",
        share: 44.0,
        script: Script::Latin,
        tlds: LATIN_TLDS,
        phonology: Phonology::Syllables {
            onsets: "t s r n l d m c p b h w f g th st pr tr br k sh wh gr cl pl fr ch y v j bl sp str qu sc cr dr sl",
            nuclei: "e a i o u ea ou ee oo ai y ie oa au ay",
            codas: "n r s t l d nd st ng m ck ts rs nt ll ss ght rt ct x ns ks",
            coda_p: 0.55,
            max_syllables: 4,
            prefix: None,
        },
        function_words: "the of and to a in is that for it with as was on be by this are you at from or have an they which not but his we all can has their will more one been were also there if its so what about when would who out up our other some them into new like your time only than her may these it's don't can't I'm how any most first after people just over such use two make well get where many see year back work very through even because much should could those then each way",
        noun_caps: 0.0,
        vocab_size: 24_000,
    },
    Language {
        code: "rus",
        name: "Russian",
        share: 6.0,
        script: Script::Cyrillic,
        tlds: &["ru", "com", "рф", "su", "net", "org"],
        phonology: Phonology::Syllables {
            onsets: "п с к н т в д м р л з б г ж ч ш х ц ф щ пр ст кр тр вс сл",
            nuclei: "о а е и у я ы ю ё э",
            codas: "й т н л р с в м к ть ст",
            coda_p: 0.35,
            max_syllables: 5,
            prefix: None,
        },
        function_words: "и в не на я что он с по это как а то все она так его но к у же вы за бы от о из мы для при также было быть или был только еще уже может если году этом при более их чем были есть",
        noun_caps: 0.0,
        vocab_size: 28_000,
    },
    Language {
        code: "deu",
        name: "German",
        share: 5.5,
        script: Script::Latin,
        tlds: &["de", "at", "ch", "com", "net", "eu"],
        phonology: Phonology::Syllables {
            onsets: "d s t n r h g b m w k f l v z st sch sp ch pf kr tr br gr fr pr bl schw",
            nuclei: "e a i ei u o ie au ä ü ö eu",
            codas: "n r t s ch st l m nd ng cht rn ns ft lt ß tz ck rt",
            coda_p: 0.6,
            max_syllables: 5,
            prefix: None,
        },
        function_words: "der die und in den von zu das mit sich des auf für ist im dem nicht ein eine als auch es an werden aus er hat dass sie nach wird bei einer um am sind noch wie einem über einen so zum war haben nur oder aber vor zur bis mehr durch man sein wurde sei können",
        noun_caps: 0.3,
        vocab_size: 28_000,
    },
    Language {
        code: "jpn",
        name: "Japanese",
        share: 5.0,
        script: Script::Japanese,
        tlds: &["jp", "co.jp", "com", "net", "ne.jp", "or.jp"],
        phonology: Phonology::Japanese,
        function_words: "の に は を た が で て と し れ さ ある いる も な こと する から です ます この その よう ため まで ない もの など また れる られる として について これ それ ので という",
        noun_caps: 0.0,
        vocab_size: 20_000,
    },
    Language {
        code: "zho",
        name: "Chinese",
        share: 5.0,
        script: Script::Han,
        tlds: &["cn", "com", "com.cn", "net", "tw", "hk"],
        phonology: Phonology::Han,
        function_words: "的 了 是 在 和 有 我 不 这 个 们 中 也 就 人 都 一 上 为 他 说 要 到 会 对 以 可 而 与 及 等 将 于 被 把 你 我们 没有 一个 可以 进行 这个 他们",
        noun_caps: 0.0,
        vocab_size: 20_000,
    },
    Language {
        code: "spa",
        name: "Spanish",
        share: 4.6,
        script: Script::Latin,
        tlds: &["es", "com", "com.mx", "com.ar", "cl", "co", "org"],
        phonology: Phonology::Syllables {
            onsets: "d l c s t r m p n b g v f ll qu j ch h pr tr cr br gr pl bl fl ñ",
            nuclei: "a e o i u ia ie ue io ua á é í ó ú",
            codas: "n s r l d z",
            coda_p: 0.35,
            max_syllables: 5,
            prefix: None,
        },
        function_words: "de la que el en y a los se del las un por con no una su para es al lo como más o pero sus le ha me si sin sobre este ya entre cuando todo esta ser son dos también fue había era muy años hasta desde está mi porque qué sólo han yo hay vez puede todos así nos ni parte tiene él uno donde bien",
        noun_caps: 0.0,
        vocab_size: 24_000,
    },
    Language {
        code: "fra",
        name: "French",
        share: 4.4,
        script: Script::Latin,
        tlds: &["fr", "com", "be", "ca", "ch", "net"],
        phonology: Phonology::Syllables {
            onsets: "d l p c m t s r n v f b g qu ch j pr tr gr br fr pl cl h",
            nuclei: "e a i o ou é u ai au eu oi è ê ie an on en in",
            codas: "n r s t l x nt",
            coda_p: 0.3,
            max_syllables: 4,
            prefix: None,
        },
        function_words: "de la le et les des en un du une que est pour qui dans a par plus pas au sur ne se ce il sont avec ou son cette mais nous elle à aux été ont leur vous ses on comme tout fait je d'un l'on c'est n'est qu'il y même bien aussi sans peut ces très",
        noun_caps: 0.0,
        vocab_size: 24_000,
    },
    Language {
        code: "ita",
        name: "Italian",
        share: 2.4,
        script: Script::Latin,
        tlds: &["it", "com", "net", "eu"],
        phonology: Phonology::Syllables {
            onsets: "c d l p t s m r n v f b g st pr tr ch gl sc",
            nuclei: "a e i o u ia io ie uo à è ì ò ù",
            codas: "n l r s",
            coda_p: 0.15,
            max_syllables: 5,
            prefix: None,
        },
        function_words: "di e il la che in a per un è del non una con i le si da sono al della come più lo ma dei anche alla nel questo ha gli se o delle ci ne cui suo anni",
        noun_caps: 0.0,
        vocab_size: 22_000,
    },
    Language {
        code: "por",
        name: "Portuguese",
        share: 2.0,
        script: Script::Latin,
        tlds: &["com.br", "pt", "br", "com", "net"],
        phonology: Phonology::Syllables {
            onsets: "d c p m t s r n l v f b g qu ch lh nh pr tr br gr ç",
            nuclei: "a e o i u ão ã é á ê í ó õ",
            codas: "s r m l",
            coda_p: 0.3,
            max_syllables: 5,
            prefix: None,
        },
        function_words: "de a o que e do da em um para é com não uma os no se na por mais as dos como mas foi ao ele das tem à seu sua ou ser quando muito há nos já está eu também só pelo pela até isso ela entre era depois sem mesmo",
        noun_caps: 0.0,
        vocab_size: 22_000,
    },
    Language {
        code: "nld",
        name: "Dutch",
        share: 1.9,
        script: Script::Latin,
        tlds: &["nl", "be", "com", "eu"],
        phonology: Phonology::Syllables {
            onsets: "d v h w z k b g m n p r s t l st sch kr br gr pr tr sl sp",
            nuclei: "e a o i u ee oo aa ie oe ij ui ou eu",
            codas: "n r t s l k d ng nd rt st cht",
            coda_p: 0.6,
            max_syllables: 4,
            prefix: None,
        },
        function_words: "de van het een en in is dat op te zijn voor met die niet aan er om ook als door maar bij dan of uit worden wordt nog wel naar hij ze was kan je we deze over tot zo",
        noun_caps: 0.0,
        vocab_size: 20_000,
    },
    Language {
        code: "pol",
        name: "Polish",
        share: 1.7,
        script: Script::Latin,
        tlds: &["pl", "com.pl", "com", "eu"],
        phonology: Phonology::Syllables {
            onsets: "p w z s k n d m t r c b g l ł j ch sz cz rz dz prz st kr tr br gr ś ż ź ć",
            nuclei: "a e o i y u ie ia ą ę ó",
            codas: "ł j k m n ń s ś t ż ć ch",
            coda_p: 0.3,
            max_syllables: 5,
            prefix: None,
        },
        function_words: "w i na z się nie do to że jest o jak a po co tak za od ale przez dla są być może jego już tym tego czy który przy ze tylko jej ich też także oraz lub więc",
        noun_caps: 0.0,
        vocab_size: 24_000,
    },
    Language {
        code: "ces",
        name: "Czech",
        share: 1.0,
        script: Script::Latin,
        tlds: &["cz", "com", "eu"],
        phonology: Phonology::Syllables {
            onsets: "p v s z k n d m t r c b h j l ch st př pr tr kr š č ž ř",
            nuclei: "a e o i u y í á é ů ě ý ou",
            codas: "k n m t l s ch j",
            coda_p: 0.35,
            max_syllables: 5,
            prefix: None,
        },
        function_words: "a v se na je že to s z do o k i jako pro ve by jsou které ale po tak jak již jeho také jen od při může nebo být",
        noun_caps: 0.0,
        vocab_size: 22_000,
    },
    Language {
        code: "vie",
        name: "Vietnamese",
        share: 1.0,
        script: Script::Latin,
        tlds: &["vn", "com.vn", "com", "net"],
        phonology: Phonology::Syllables {
            onsets: "th tr ng nh ch kh ph gi qu d đ b c h l m n s t v x g r",
            nuclei: "a ă â e ê i o ô ơ u ư y á à ả ã ạ ế ề ể ễ ệ ố ồ ổ ỗ ộ ớ ờ ở ỡ ợ ứ ừ ử ữ ự ươ ườ iê yê uô ấ ầ ậ ắ ặ ó ò ọ ú ù ụ í ì ị",
            codas: "n ng nh c ch t p m i o u y",
            coda_p: 0.55,
            max_syllables: 1,
            prefix: None,
        },
        function_words: "và của có là các cho không được trong những với người một này để đã khi đến từ cũng về như sẽ ra năm bị theo tại nhiều",
        noun_caps: 0.0,
        vocab_size: 6_000,
    },
    Language {
        code: "tur",
        name: "Turkish",
        share: 1.0,
        script: Script::Latin,
        tlds: &["com.tr", "com", "net", "org"],
        phonology: Phonology::Syllables {
            onsets: "b d k m s t y g h l n r ç ş v z p c f",
            nuclei: "a e i ı u ü o ö",
            codas: "r n l k m t z ş ç y",
            coda_p: 0.45,
            max_syllables: 5,
            prefix: None,
        },
        function_words: "ve bir bu da de için ile çok daha olarak gibi en ne var sonra kadar o ki olan her ama veya mi değil",
        noun_caps: 0.0,
        vocab_size: 22_000,
    },
    Language {
        code: "ind",
        name: "Indonesian",
        share: 1.0,
        script: Script::Latin,
        tlds: &["co.id", "id", "com", "net"],
        phonology: Phonology::Syllables {
            onsets: "k m s t p b d n r l g j h c ng ny w y",
            nuclei: "a i u e o",
            codas: "n ng r k t s h m l",
            coda_p: 0.4,
            max_syllables: 4,
            prefix: None,
        },
        function_words: "yang dan di ini dengan untuk dari dalam itu tidak akan pada juga ke ada adalah oleh bisa saya kita mereka atau karena sudah",
        noun_caps: 0.0,
        vocab_size: 18_000,
    },
    Language {
        code: "fas",
        name: "Persian",
        share: 0.7,
        script: Script::Arabic,
        tlds: &["ir", "com", "net", "org"],
        phonology: Phonology::Syllables {
            onsets: "ر ن م د ب ت س ی ک ل ه ش ز گ خ ف ق ج پ چ ح ع ص ط ژ",
            nuclei: "- - ا و ی",
            codas: "ن ر د م ی ه ت ش",
            coda_p: 0.5,
            max_syllables: 3,
            prefix: None,
        },
        function_words: "و در به از که این را با است برای آن یک خود تا کرد بر هم نیز شده می",
        noun_caps: 0.0,
        vocab_size: 20_000,
    },
    Language {
        code: "kor",
        name: "Korean",
        share: 0.7,
        script: Script::Hangul,
        tlds: &["co.kr", "kr", "com", "net"],
        phonology: Phonology::Hangul,
        function_words: "수 것 그 및 등 더 이 때 또는 있는 하는 있다 한다 위해 대한 통해 같은",
        noun_caps: 0.0,
        vocab_size: 20_000,
    },
    Language {
        code: "swe",
        name: "Swedish",
        share: 0.7,
        script: Script::Latin,
        tlds: &["se", "com", "nu"],
        phonology: Phonology::Syllables {
            onsets: "s t d f k h m b v g l n r st sk sp tr fr br gr kr sj",
            nuclei: "a e i o u ä ö å y",
            codas: "r n t ll ng nd st ck s k",
            coda_p: 0.55,
            max_syllables: 4,
            prefix: None,
        },
        function_words: "och i att det som en på är av för med till den har de inte om ett han men var jag sig från vi så kan man när år",
        noun_caps: 0.0,
        vocab_size: 18_000,
    },
    Language {
        code: "ara",
        name: "Arabic",
        share: 0.6,
        script: Script::Arabic,
        tlds: &["com", "sa", "ae", "eg", "net"],
        phonology: Phonology::Syllables {
            onsets: "ل م ن ر ب ت س ع ف ق د ك ه ح ج ش ص خ ط ز ث ذ ض غ ظ ي و",
            nuclei: "- - - ا و ي",
            codas: "ة ن ت ل ر م ي",
            coda_p: 0.4,
            max_syllables: 3,
            prefix: Some(("ال", 0.3)),
        },
        function_words: "في من على إلى أن عن مع هذا التي الذي ما لا كان هذه ذلك بين أو كل قد بعد عند حتى و",
        noun_caps: 0.0,
        vocab_size: 22_000,
    },
    Language {
        code: "hun",
        name: "Hungarian",
        share: 0.6,
        script: Script::Latin,
        tlds: &["hu", "com", "eu"],
        phonology: Phonology::Syllables {
            onsets: "k m s t b v h n l f g sz cs gy ny ty zs j p r",
            nuclei: "a e i o u á é í ó ö ő ú ü ű",
            codas: "k t n l s r sz z gy ny",
            coda_p: 0.45,
            max_syllables: 5,
            prefix: None,
        },
        function_words: "a az és hogy nem is egy meg de csak van ez azt már mint még ha volt ki el",
        noun_caps: 0.0,
        vocab_size: 22_000,
    },
    Language {
        code: "ell",
        name: "Greek",
        share: 0.5,
        script: Script::Greek,
        tlds: &["gr", "com", "eu"],
        phonology: Phonology::Syllables {
            onsets: "τ π κ σ μ ν λ δ γ θ χ β φ ρ ξ ψ στ πρ τρ",
            nuclei: "α ε ο ι η υ ω ά έ ό ί ή ύ ώ ου αι ει",
            codas: "ς ν ς",
            coda_p: 0.4,
            max_syllables: 4,
            prefix: None,
        },
        function_words: "και το της η να του σε με για από ο τα των που στο στην την θα είναι ένα τον δεν",
        noun_caps: 0.0,
        vocab_size: 20_000,
    },
    Language {
        code: "ukr",
        name: "Ukrainian",
        share: 0.5,
        script: Script::Cyrillic,
        tlds: &["com.ua", "ua", "com", "net"],
        phonology: Phonology::Syllables {
            onsets: "п с к н т в д м р л з б г ж ч ш х ц ф щ пр ст кр тр",
            nuclei: "о а е и і у я ю є ї",
            codas: "й т н л р с в м к ть",
            coda_p: 0.35,
            max_syllables: 5,
            prefix: None,
        },
        function_words: "і в на з що не до у та як це за від для по а є його але або також які",
        noun_caps: 0.0,
        vocab_size: 22_000,
    },
    Language {
        code: "ron",
        name: "Romanian",
        share: 0.5,
        script: Script::Latin,
        tlds: &["ro", "com", "eu"],
        phonology: Phonology::Syllables {
            onsets: "p c d m s t r n l v f b g ș ț st pr tr cr",
            nuclei: "a e i o u ă â î ea ie",
            codas: "n r t l s m",
            coda_p: 0.35,
            max_syllables: 5,
            prefix: None,
        },
        function_words: "de și în a la cu pe care din o nu un se mai pentru ca este sau fost au",
        noun_caps: 0.0,
        vocab_size: 20_000,
    },
    Language {
        code: "dan",
        name: "Danish",
        share: 0.5,
        script: Script::Latin,
        tlds: &["dk", "com", "eu"],
        phonology: Phonology::Syllables {
            onsets: "s t d f k h m b v g l n r st sk sp tr fr br gr kr",
            nuclei: "e a i o u æ ø å y",
            codas: "r n t ll ng nd st d s k",
            coda_p: 0.55,
            max_syllables: 4,
            prefix: None,
        },
        function_words: "og i at det en den til er som på de med han af for ikke der var mig sig men et har om vi",
        noun_caps: 0.0,
        vocab_size: 18_000,
    },
    Language {
        code: "fin",
        name: "Finnish",
        share: 0.4,
        script: Script::Latin,
        tlds: &["fi", "com", "eu"],
        phonology: Phonology::Syllables {
            onsets: "k t s p h m l v n j r",
            nuclei: "a i e o u ä ö y aa ii uu ää ei ai",
            codas: "n t s l k",
            coda_p: 0.35,
            max_syllables: 5,
            prefix: None,
        },
        function_words: "ja on ei se että oli hän mutta kun niin tai ovat myös kuin jo mitä",
        noun_caps: 0.0,
        vocab_size: 22_000,
    },
    Language {
        code: "tha",
        name: "Thai",
        share: 0.4,
        script: Script::Thai,
        tlds: &["co.th", "com", "in.th", "net"],
        phonology: Phonology::Syllables {
            onsets: "ก น ร ม ส ท ค ป อ ด ต ล ว บ ย พ ห จ ช ง ข ผ ซ ถ ฟ ศ",
            nuclei: "า - ั ี ิ ่ อ ้ เ ุ ู ื ึ แ โ ำ ะ",
            codas: "น ง ม ก ด บ ย ว",
            coda_p: 0.45,
            max_syllables: 3,
            prefix: None,
        },
        function_words: "ที่ และ ใน การ ของ มี ได้ เป็น ไม่ จะ ให้ กับ ว่า นี้ แต่ ก็",
        noun_caps: 0.0,
        vocab_size: 16_000,
    },
    Language {
        code: "nor",
        name: "Norwegian",
        share: 0.3,
        script: Script::Latin,
        tlds: &["no", "com"],
        phonology: Phonology::Syllables {
            onsets: "s t d f k h m b v g l n r st sk sp tr fr br gr kr",
            nuclei: "e a i o u æ ø å y",
            codas: "r n t ll ng nd st s k",
            coda_p: 0.55,
            max_syllables: 4,
            prefix: None,
        },
        function_words: "og i det som på er en til av at med for har ikke den de var jeg om et men vi seg",
        noun_caps: 0.0,
        vocab_size: 18_000,
    },
    Language {
        code: "bul",
        name: "Bulgarian",
        share: 0.3,
        script: Script::Cyrillic,
        tlds: &["bg", "com", "eu"],
        phonology: Phonology::Syllables {
            onsets: "п с к н т в д м р л з б г ж ч ш х ц ф щ пр ст",
            nuclei: "а е о и ъ у я ю",
            codas: "т н л р с в м к",
            coda_p: 0.3,
            max_syllables: 5,
            prefix: None,
        },
        function_words: "на и да се в е за от не с че по са което като при това",
        noun_caps: 0.0,
        vocab_size: 20_000,
    },
    Language {
        code: "heb",
        name: "Hebrew",
        share: 0.2,
        script: Script::Hebrew,
        tlds: &["co.il", "org.il", "com"],
        phonology: Phonology::Syllables {
            onsets: "ב ג ד ה ו ז ח ט י כ ל מ נ ס ע פ צ ק ר ש ת",
            nuclei: "- - - ו י א",
            codas: "ם ן ת ה ר ל",
            coda_p: 0.4,
            max_syllables: 3,
            prefix: None,
        },
        function_words: "של את על עם זה הוא היא לא כי גם או אם אני יש אבל כל מה",
        noun_caps: 0.0,
        vocab_size: 18_000,
    },
    Language {
        code: "hin",
        name: "Hindi",
        share: 0.2,
        script: Script::Devanagari,
        tlds: &["in", "co.in", "com"],
        phonology: Phonology::Syllables {
            onsets: "क र न स त म ल ह द प य ब ज व ग श च ट ड ख भ थ ध फ घ छ झ",
            nuclei: "- - ा ि ी े ो ु ू ै ौ",
            codas: "ं न र",
            coda_p: 0.2,
            max_syllables: 4,
            prefix: None,
        },
        function_words: "के है में की और से को का एक यह पर भी कि नहीं हैं था लिए इस कर जो",
        noun_caps: 0.0,
        vocab_size: 18_000,
    },
];

/// Common Chinese characters, most frequent first (about the top 700 of modern usage). The rest
/// of the inventory is spread deterministically over the CJK block; only their rank matters.
const HAN_COMMON: &str = "的一是不了在人有我他这个们中来上大为和国地到以说时要就出会可也你对生能而子那得于着下自之年过发后作里用道行所然家种事成方多经么去法学如都同现当没动面起看定天分还进好小部其些主样理心她本前开但因只从想实日军者意无力它与长把机十民第公此已工使情明性知全三又关点正业外将两高间由问很最重并物手应战向头文体政美相见被利什二等产或新己制身果加西斯月话合回特代内信表化老给世位次度门任常先海通教儿原东声提立及比员解水名真论处走义各入几口认条平系气题活尔更别打女变四神总何电数安少报才结反受目太量再感建务做接必场件计管期市直德资命山金指克许统区保至队形社便空决治展马科司五基眼书非则听白却界达光放强即像难且权思王象完设式色路记南品住告类求据程北边死张该交规万取拉格望觉术领共确传师观清今切院让识候带导争运笑飞风步改收根干造言联持组每济车亲极林服快办议往元英士证近失转夫令准布始怎呢存未远叫台单影具罗字爱击流备兵连调深商算质团集百需价花党华城石级整府离况亚请技际约示复病息究线似官火断精满支视消越器容照须九增研写称企八功吗包片史委乎查轻易早曾除农找装广显吧阿李标谈吃图念六引历首医局突专费号尽另周较注语仅考落青随选列武红响虽推势参希古众构房半节土投某案黑维革划敌致陈律足态护七兴派孩验责营星够章音跟志底站严巴例防族供效续施留讲型料终答紧黄绝奇察母京段依批群项故按河米围江织害斗双境客纪采举杀攻父苏密低朝友诉止细愿千值仍男钱破网热助倒育属坐帝限船脸职速刻乐否刚威毛状率甚独球般普怕弹校苦创假久错承印晚兰试股拿脑预谁益阳若哪微尼继送急血惊伤素药适波夜省初喜卫源食险待述陆习置居劳财环排福纳欢雷警获模充负云停木游龙树疑层冷洲冲射略范竟句室异激汉村哈策演简卡罪判担州静退既衣您宗积余痛检差富灵协角占配征修皮挥胜降阶审沉坚善妈刘读啊超免压银买皇养伊怀执副乱抗犯追帮宣佛岁航优怪香著田铁控税左右份穿艺背阵草脚概恶块顿敢守酒岛托央户烈洋哥索胡款靠评版宝座释景顾弟登货互付伯慢欧换闻危忙核暗姐介坏讨丽良序升监临亮露永呼味野架域沙掉括舰鱼杂误湾吉减编楚肯测败屋跑梦散温困剑渐封救贵枪缺楼县尚毫移娘朋画班智亦耳恩短掌恐遗固席松秘谢鲁遇康虑幸均销钟诗藏赶剧票损忽巨炮旧端探湖录叶春乡附吸予礼港雨呀板庭妇归睛饭额含顺输摇招婚脱补谓督毒油疗旅泽材灭逐莫笔亡鲜词圣择寻厂睡博勒烟授诺伦岸奥唐卖俄炸载洛健堂旁宫喝借君禁阴园谋宋避抓荣姑孙逃牙束跳顶玉镇雪午练迫爷篇肉嘴馆遍凡础洞卷坦牛宁纸诸训私庄祖丝翻暴森塔默握戏隐熟骨访弱蒙歌店鬼软典欲萨伙遭盘爸扩盖弄雄稳忘亿刺拥徒姆杨齐赛趣曲刀床迎冰虚玩析窗醒妻透购替塞努休虎扬途侵刑绿兄迅套贸毕唯谷轮库迹尤竞街促延震弃甲伟麻川申缓潜闪售灯针哲络抵朱埃抱鼓植纯夏忍页杰筑折郑贝尊吴秀混臣雅振染盛怒舞圆搞狂措姓残秋培迷诚宽宇猛摆梅毁伸摩盟末乃悲拍丁赵";

const HIRAGANA_COMMON: &str =
    "のにはをたがでてとしれさいるもなかくきうつりこすまよらせろわっおけんだやめえそじどべみあばびほ";
const KATAKANA_COMMON: &str =
    "ンルトスイクリラレタロシアカドマコプテメッジサムフブデオパナキグニビハモーヤズゲポセベピソツミダ";
const JA_ENDINGS: &str =
    "する した して され しい った った って ます ました まし れる られる い く な に な さ き しく かった";

/// Most frequent hangul jamo, by index into the standard L (19) / V (21) / T (28) tables.
const HANGUL_L: &[u32] = &[
    11, 0, 3, 2, 9, 5, 6, 7, 12, 18, 14, 16, 17, 15, 1, 4, 10, 8, 13,
];
const HANGUL_V: &[u32] = &[
    0, 20, 4, 8, 13, 18, 6, 5, 2, 14, 1, 12, 16, 9, 11, 10, 7, 19, 3, 17, 15,
];
const HANGUL_T: &[u32] = &[0, 0, 0, 4, 8, 21, 16, 1, 17, 19, 7, 20, 27, 22];
const HANGUL_PARTICLES: &str =
    "의 는 은 이 가 을 를 에 에서 로 으로 와 과 도 하고 한 된 할 하는 입니다 합니다 있습니다 했다";

/// A language's generated vocabulary: words (function words first, then content words ordered
/// short-to-long with noise) and the Zipf sampler over them.
pub struct Vocab {
    pub lang: &'static Language,
    /// All words concatenated; `spans[i]` is word `i`.
    text: String,
    spans: Vec<(u32, u32)>,
    zipf: AliasTable,
    /// Number of function words at the top of the ranking.
    pub n_function: usize,
    /// Particles/endings glued to words (Korean, Japanese), else empty.
    suffixes: Vec<&'static str>,
    /// Whether word `i` contains an ASCII apostrophe (typographic pages print it as ’).
    apostrophe: Vec<bool>,
    /// Collocations ("of the", "in order to"): word sequences that recur as units, which is
    /// much of what lets gzip find multi-word matches in real text.
    phrase_text: String,
    phrase_spans: Vec<(u32, u32)>,
    phrase_zipf: AliasTable,
    /// Per-language salt for [`Vocab::follower`].
    salt: u64,
    /// `ln` of the first and last content-word rank, for [`Vocab::content_word`].
    content_ln: (f64, f64),
}

impl Vocab {
    pub fn len(&self) -> usize {
        self.spans.len()
    }

    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    #[inline]
    pub fn word(&self, i: usize) -> &str {
        let (a, b) = self.spans[i];
        &self.text[a as usize..b as usize]
    }

    /// A collocation drawn from its own Zipf law.
    #[inline]
    pub fn phrase(&self, rng: &mut Rng) -> &str {
        let (a, b) = self.phrase_spans[self.phrase_zipf.sample(rng)];
        &self.phrase_text[a as usize..b as usize]
    }

    /// The `k`-th fixed successor of word `prev`: a Zipf draw keyed by `(language, prev, k)`.
    #[inline]
    pub fn follower(&self, prev: usize, k: u64) -> usize {
        let key = prng::mix64((prev as u64) << 8 ^ k ^ self.salt);
        self.zipf.sample_with(key)
    }

    /// A word drawn from the Zipf law (rank 0 is the most frequent).
    #[inline]
    pub fn sample(&self, rng: &mut Rng) -> usize {
        self.zipf.sample(rng)
    }

    /// A content word from the mid ranks (for topics and names): ranks beyond the function words,
    /// log-uniform up to `len`.
    pub fn content_word(&self, rng: &mut Rng) -> usize {
        let (ln_lo, ln_hi) = self.content_ln;
        let x = prng::exp(ln_lo + rng.f64() * (ln_hi - ln_lo));
        (x as usize).clamp(self.n_function, self.len() - 1)
    }

    pub fn has_suffixes(&self) -> bool {
        !self.suffixes.is_empty()
    }

    /// Glued particle/ending, for Korean/Japanese.
    pub fn suffix(&self, rng: &mut Rng) -> Option<&'static str> {
        if self.suffixes.is_empty() {
            None
        } else {
            Some(self.suffixes[rng.front_biased(self.suffixes.len())])
        }
    }
}

/// Vocabulary of `lang`, built on first use (a few ms) and shared for the process.
pub fn vocab(lang_index: usize) -> &'static Vocab {
    static VOCABS: OnceLock<Vec<OnceLock<Vocab>>> = OnceLock::new();
    let all = VOCABS.get_or_init(|| LANGUAGES.iter().map(|_| OnceLock::new()).collect());
    all[lang_index].get_or_init(|| build_vocab(&LANGUAGES[lang_index]))
}

/// Index of a language in [`LANGUAGES`] by ISO 639-3 code.
pub fn language_index(code: &str) -> Option<usize> {
    LANGUAGES.iter().position(|l| l.code == code)
}

/// ASCII folding of the lower-case Latin letters with diacritics used here (`None`: no folding).
pub fn fold_latin(c: char) -> Option<&'static str> {
    Some(match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ą' | 'ă' => "a",
        'ç' | 'ć' | 'č' => "c",
        'è' | 'é' | 'ê' | 'ë' | 'ę' | 'ě' => "e",
        'ì' | 'í' | 'î' | 'ï' | 'ı' => "i",
        'ñ' | 'ń' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ő' => "o",
        'ù' | 'ú' | 'û' | 'ü' | 'ů' | 'ű' => "u",
        'ý' | 'ÿ' => "y",
        'ß' => "ss",
        'æ' => "ae",
        'ł' => "l",
        'ś' | 'š' | 'ş' | 'ș' => "s",
        'ź' | 'ż' | 'ž' => "z",
        'ř' => "r",
        'ğ' => "g",
        'ț' => "t",
        'đ' => "d",
        _ => return None,
    })
}

/// Share of diacritic-bearing inventory entries kept as such in generated stems (the rest are
/// folded to ASCII). The inventories list letters, not frequencies; this brings the non-ASCII byte
/// share of each Latin-script language near that of real text (checked against Tatoeba).
fn diacritic_keep(code: &str) -> f64 {
    match code {
        "spa" | "ita" => 0.1,
        "deu" => 0.25,
        "por" | "ron" | "nld" => 0.45,
        "fra" | "pol" | "swe" | "dan" | "nor" | "fin" => 0.6,
        "ces" | "tur" | "hun" => 0.75,
        _ => 1.0,
    }
}

/// Pushes `token`, folding its diacritics to ASCII unless `keep`.
fn push_folded(w: &mut String, token: &str, keep: bool) {
    if keep || token.is_ascii() {
        w.push_str(token);
    } else {
        for c in token.chars() {
            match fold_latin(c) {
                Some(f) => w.push_str(f),
                None => w.push(c),
            }
        }
    }
}

/// Inflectional/derivational endings: shared word endings are a large part of the repeated
/// substrings gzip finds in real text, which random syllables alone lack.
fn morph_suffixes(code: &str) -> &'static str {
    match code {
        "eng" => "s ed ing ly er tion s ed al ment ness able ive ers ity ful less ic ous",
        "deu" => "en er e ung lich keit heit ig en ern isch te ten st",
        "spa" => "os as ción mente ar ado ada es er ido ando iendo ía dad",
        "fra" => "s es ent er é ée tion ment eur aux ique ité ais ait",
        "ita" => "i e are ato ata zione mente ità ente ando ere ori",
        "por" => "s os as ção mente ar ado ada dade ões ando ia",
        "nld" => "en e er heid lijk ing de te st s",
        "pol" => "ie ego ych ami ów ania owy ość ać em",
        "ces" => "é ého ých ní ost ovat ami em ou",
        "tur" => "ler lar leri ları de da in ın dir ını sı si",
        "ind" => "kan an nya i lah",
        "swe" | "dan" | "nor" => "er en et ar na ing lig ade te",
        "hun" => "ek ok ak nak nek ban ben ből ról val vel ség",
        "ron" => "ul ea ii ile lor ție ește are",
        "fin" => "n t ssa ssä lla llä sta stä ksi ja jä nen",
        "rus" => "ый ий ая ое ые ов ом ами ать ить ение ость ского ной ого",
        "ukr" => "ий ій а ого ів ами ати ння ість",
        "bul" => "та ът то те ия ите ане ност",
        "ell" => "ς ος ης ου ων ες ση εις",
        _ => "",
    }
}

fn tokens(s: &'static str) -> Vec<&'static str> {
    s.split(' ')
        .filter(|t| !t.is_empty())
        .map(|t| if t == "-" { "" } else { t })
        .collect()
}

fn han_inventory() -> Vec<char> {
    let mut chars: Vec<char> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for c in HAN_COMMON.chars() {
        if seen.insert(c) {
            chars.push(c);
        }
    }
    // Long tail: a deterministic spread over the CJK Unified Ideographs block U+4E00..U+9FA5.
    let mut rng = Rng::from_parts(&[0x48414E, 1]);
    while chars.len() < 3500 {
        let c = char::from_u32(0x4E00 + rng.below(0x9FA5 - 0x4E00) as u32).unwrap();
        if seen.insert(c) {
            chars.push(c);
        }
    }
    chars
}

/// Probability that a generated content word carries an ending from [`morph_suffixes`].
const MORPH_P: f64 = 0.45;
/// Probability that a content word is a compound of two stems.
const COMPOUND_P: f64 = 0.35;

/// Index into an inventory listed most-common-first, skewed harder than
/// [`Rng::front_biased`]: `P(index < k) = (k/n)^(1/4)`, roughly the skew of letter and
/// syllable frequencies in real languages.
fn skewed(rng: &mut Rng, n: usize) -> usize {
    let u = rng.f64();
    ((u * u * u * u) * n as f64) as usize
}

/// Set of words seen, by a 64-bit hash of their bytes: avoids cloning every candidate into a
/// `HashSet<String>` (vocabulary building is the fixed cost of every generation, and tests run it
/// unoptimised). A collision would only drop one candidate, deterministically.
#[derive(Default)]
struct WordSet(std::collections::HashSet<u64, std::hash::BuildHasherDefault<IdentityHasher>>);

impl WordSet {
    fn insert(&mut self, w: &str) -> bool {
        let h = w.bytes().fold(0xCBF2_9CE4_8422_2325u64, |h, b| {
            (h ^ b as u64).wrapping_mul(0x1000_0000_01B3)
        });
        self.0.insert(prng::mix64(h))
    }
}

#[derive(Default)]
struct IdentityHasher(u64);

impl std::hash::Hasher for IdentityHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, _: &[u8]) {
        unreachable!("only u64 keys")
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

fn build_vocab(lang: &'static Language) -> Vocab {
    let code_seed = lang.code.bytes().fold(0u64, |h, b| (h << 8) | b as u64);
    let mut rng = Rng::from_parts(&[0x0056_4F43_4142, code_seed]);
    let mut seen = WordSet::default();
    let mut words: Vec<String> = Vec::new();
    for w in lang.function_words.split(' ').filter(|w| !w.is_empty()) {
        if seen.insert(w) {
            words.push(w.to_string());
        }
    }
    let n_function = words.len();
    let mut suffixes = Vec::new();
    let mut candidates: Vec<(f64, String)> = Vec::new();
    let mut attempts = 0usize;
    let target = lang.vocab_size;
    let han = matches!(lang.phonology, Phonology::Han | Phonology::Japanese).then(han_inventory);
    // Character-rank sampler for Han (inventory ordered by frequency).
    let han_zipf = han.as_ref().map(|h| prng::zipf(h.len(), 1.0, 8.0));
    let hira: Vec<char> = HIRAGANA_COMMON.chars().collect();
    let kata: Vec<char> = KATAKANA_COMMON.chars().collect();
    let ja_endings = tokens(JA_ENDINGS);
    let morph = tokens(morph_suffixes(lang.code));
    let (on, nu, co) = match &lang.phonology {
        Phonology::Syllables {
            onsets,
            nuclei,
            codas,
            ..
        } => (tokens(onsets), tokens(nuclei), tokens(codas)),
        _ => (vec![], vec![], vec![]),
    };
    // Stems: 1-3 syllables (1 for monosyllabic languages), listed in generation order and drawn
    // with a Zipf law, so that frequent stems recur across many words.
    let mut stems: Vec<String> = Vec::new();
    if let Phonology::Syllables {
        coda_p,
        max_syllables,
        ..
    } = &lang.phonology
    {
        let n_stems = if *max_syllables == 1 {
            target
        } else {
            target / 3
        };
        let combining_vowels = matches!(lang.script, Script::Thai | Script::Devanagari);
        let keep = diacritic_keep(lang.code);
        let mut stem_seen = WordSet::default();
        let mut tries = 0;
        while stems.len() < n_stems && tries < n_stems * 50 {
            tries += 1;
            let n_syl = 1 + rng.geometric(0.4, (*max_syllables - 1).min(2));
            let mut w = String::new();
            // Vowel-initial stems now and then, except where vowels are combining marks.
            let vowel_initial = n_syl > 1 && !combining_vowels && rng.chance(0.15);
            for i in 0..n_syl {
                if i > 0 || !vowel_initial {
                    let t = on[skewed(&mut rng, on.len())];
                    push_folded(&mut w, t, t.is_ascii() || rng.chance(keep));
                }
                let t = nu[skewed(&mut rng, nu.len())];
                push_folded(&mut w, t, t.is_ascii() || rng.chance(keep));
                if rng.chance(*coda_p) {
                    let t = co[skewed(&mut rng, co.len())];
                    push_folded(&mut w, t, t.is_ascii() || rng.chance(keep));
                }
            }
            if stem_seen.insert(&w) {
                stems.push(w);
            }
        }
        // Short stems first: they are the frequent ones.
        stems.sort_by_key(|s| s.chars().count());
    }
    let stem_zipf = prng::zipf(stems.len().max(1), 1.0, 2.0);
    let monosyllabic = matches!(
        lang.phonology,
        Phonology::Syllables {
            max_syllables: 1,
            ..
        }
    );
    if monosyllabic {
        // Every syllable is a word (Vietnamese): the stems are the vocabulary.
        for w in std::mem::take(&mut stems) {
            if seen.insert(&w) {
                candidates.push((w.chars().count() as f64 + 8.0 * rng.f64(), w));
            }
        }
    }
    while !monosyllabic && candidates.len() < target && attempts < target * 50 {
        attempts += 1;
        let w = match &lang.phonology {
            Phonology::Syllables {
                max_syllables,
                prefix,
                ..
            } => {
                // Words are built from a shared stock of stems (so "work", "worked", "worker"
                // share substrings, as real words do), plus endings and the odd compound.
                let mut w = String::new();
                if let Some((p, prob)) = prefix {
                    if rng.chance(*prob) {
                        w.push_str(p);
                    }
                }
                w.push_str(&stems[stem_zipf.sample(&mut rng)]);
                if *max_syllables > 1 && rng.chance(COMPOUND_P) {
                    w.push_str(&stems[stem_zipf.sample(&mut rng)]);
                }
                if !morph.is_empty() && rng.chance(MORPH_P) {
                    let t = morph[skewed(&mut rng, morph.len())];
                    push_folded(
                        &mut w,
                        t,
                        t.is_ascii() || rng.chance(diacritic_keep(lang.code)),
                    );
                }
                w
            }
            Phonology::Han => {
                let inv = han.as_ref().unwrap();
                let z = han_zipf.as_ref().unwrap();
                let len = [1, 2, 2, 2, 2, 2, 3, 3, 4][rng.index(9)];
                (0..len).map(|_| inv[z.sample(&mut rng)]).collect()
            }
            Phonology::Japanese => {
                let inv = han.as_ref().unwrap();
                let z = han_zipf.as_ref().unwrap();
                let mut w = String::new();
                match rng.below(10) {
                    // Kanji compound, often with a kana ending.
                    0..=4 => {
                        for _ in 0..[1, 2, 2, 2, 3][rng.index(5)] {
                            w.push(inv[z.sample(&mut rng)]);
                        }
                        if rng.chance(0.6) {
                            w.push_str(ja_endings[rng.front_biased(ja_endings.len())]);
                        }
                    }
                    // Katakana loanword.
                    5..=6 => {
                        for i in 0..rng.range(2, 6) {
                            w.push(kata[rng.front_biased(kata.len())]);
                            if i > 0 && rng.chance(0.12) {
                                w.push('ー');
                            }
                        }
                    }
                    // Hiragana word.
                    _ => {
                        for _ in 0..rng.range(2, 4) {
                            w.push(hira[rng.front_biased(hira.len())]);
                        }
                    }
                }
                w
            }
            Phonology::Hangul => {
                let mut w = String::new();
                for _ in 0..1 + rng.geometric(0.6, 3) {
                    let l = HANGUL_L[rng.front_biased(HANGUL_L.len())];
                    let v = HANGUL_V[rng.front_biased(HANGUL_V.len())];
                    let t = HANGUL_T[rng.front_biased(HANGUL_T.len())];
                    w.push(char::from_u32(0xAC00 + (l * 21 + v) * 28 + t).unwrap());
                }
                w
            }
        };
        if w.is_empty() || !seen.insert(&w) {
            continue;
        }
        // Short words tend to be frequent (Zipf's law of abbreviation), but only loosely: frequent
        // content words in real text are 4-6 letters ("people", "time", "work").
        let key = w.chars().count() as f64 + 8.0 * rng.f64();
        candidates.push((key, w));
    }
    match lang.phonology {
        Phonology::Hangul => suffixes = tokens(HANGUL_PARTICLES),
        Phonology::Japanese => suffixes = tokens("の に は を が で と も から まで"),
        _ => {}
    }
    // Stable order: by key, ties by insertion (sort_by with total_cmp is deterministic).
    candidates.sort_by(|a, b| a.0.total_cmp(&b.0));
    words.extend(candidates.into_iter().map(|(_, w)| w));

    let apostrophe = words.iter().map(|w| w.contains('\'')).collect();
    let mut text = String::new();
    let mut spans = Vec::with_capacity(words.len());
    for w in &words {
        let a = text.len() as u32;
        text.push_str(w);
        spans.push((a, text.len() as u32));
    }
    // Zipf–Mandelbrot over ranks; s slightly above 1 and a small shift, as fitted to web text.
    let zipf = prng::zipf(words.len(), ZIPF_S, ZIPF_Q);

    let mut phrase_text = String::new();
    let mut phrase_spans = Vec::with_capacity(N_PHRASES);
    let sep = if lang.script.spaced() { " " } else { "" };
    for _ in 0..N_PHRASES {
        let a = phrase_text.len() as u32;
        for k in 0..2 + rng.geometric(0.3, 2) {
            if k > 0 {
                phrase_text.push_str(sep);
            }
            phrase_text.push_str(&words[zipf.sample(&mut rng)]);
        }
        phrase_spans.push((a, phrase_text.len() as u32));
    }
    let phrase_zipf = prng::zipf(N_PHRASES, 1.0, ZIPF_Q);
    Vocab {
        lang,
        text,
        spans,
        zipf,
        n_function,
        suffixes,
        apostrophe,
        phrase_text,
        phrase_spans,
        phrase_zipf,
        salt: prng::mix64(code_seed),
        content_ln: (
            prng::ln(n_function as f64 + 1.0),
            prng::ln(words.len() as f64),
        ),
    }
}

/// Probability that a word is one of the previous word's fixed successors, and how many each
/// word has: the bigram structure ("of the", "in a") that makes real text compress as it does.
pub const FOLLOW_P: f64 = 0.5;
const FANOUT: u64 = 4;

/// Collocations per language.
const N_PHRASES: usize = 3000;
/// Probability that a word slot is filled by a collocation.
pub const PHRASE_P: f64 = 0.35;

/// Zipf exponent and Mandelbrot shift of word frequencies (tuned with `examples/realism.rs`).
pub const ZIPF_S: f64 = 1.15;
pub const ZIPF_Q: f64 = 2.0;

/// Per-page state of the writer: language, typography habits, topic words, running emoji budget.
pub struct Writer {
    pub vocab: &'static Vocab,
    pub rng: Rng,
    /// Page uses typographic quotes/apostrophes/dashes (CMS-dependent in real pages).
    pub typographic: bool,
    /// Words this page is "about": drawn far more often than their global rank says.
    pub topic: Vec<usize>,
    pub topic_p: f64,
    /// Previous word drawn (for the bigram model), if any.
    prev: Option<usize>,
}

impl Writer {
    pub fn new(lang_index: usize, mut rng: Rng) -> Self {
        let vocab = vocab(lang_index);
        let typographic = rng.chance(0.45);
        let n_topic = rng.range(8, 40) as usize;
        let topic = (0..n_topic).map(|_| vocab.content_word(&mut rng)).collect();
        let topic_p = 0.04 + 0.10 * rng.f64();
        Writer {
            vocab,
            rng,
            typographic,
            topic,
            topic_p,
            prev: None,
        }
    }

    pub fn script(&self) -> Script {
        self.vocab.lang.script
    }

    fn push_word_index(&mut self, out: &mut String, i: usize, capitalize: bool) {
        let w = self.vocab.word(i);
        let lang = self.vocab.lang;
        let cap = capitalize
            || (lang.noun_caps > 0.0
                && i >= self.vocab.n_function
                && self.rng.chance(lang.noun_caps));
        if cap && lang.script.cased() {
            push_capitalized(out, w);
        } else if self.typographic && self.vocab.apostrophe[i] {
            out.push_str(&w.replace('\'', "’"));
        } else {
            out.push_str(w);
        }
    }

    /// Appends one word (Zipf draw, or a topic word), or now and then a collocation.
    pub fn word(&mut self, out: &mut String, capitalize: bool) {
        if !capitalize && self.rng.chance(PHRASE_P) {
            let p = self.vocab.phrase(&mut self.rng);
            if self.typographic && p.contains('\'') {
                out.push_str(&p.replace('\'', "’"));
            } else {
                out.push_str(p);
            }
            return;
        }
        let r = self.rng.f64();
        let i = if r < self.topic_p && !self.topic.is_empty() {
            self.topic[self.rng.index(self.topic.len())]
        } else if let (true, Some(prev)) = (r < self.topic_p + FOLLOW_P, self.prev) {
            // Bigram model: every word has FANOUT fixed favourite successors ("of" -> "the").
            self.vocab.follower(prev, self.rng.below(FANOUT))
        } else {
            self.vocab.sample(&mut self.rng)
        };
        self.prev = Some(i);
        self.push_word_index(out, i, capitalize);
        if self.vocab.has_suffixes() && self.rng.chance(0.35) {
            if let Some(s) = self.vocab.suffix(&mut self.rng) {
                out.push_str(s);
            }
        }
    }

    fn separator(&self, out: &mut String) {
        if self.script().spaced() {
            out.push(' ');
        }
    }

    /// A token that is not a word: a number, a year, a price, a percentage.
    fn number(&mut self, out: &mut String) {
        use std::fmt::Write;
        match self.rng.below(6) {
            0 => write!(out, "{}", 1990 + self.rng.below(36)),
            1 => write!(out, "{}", self.rng.range(1, 31)),
            2 => write!(out, "{}", self.rng.range(2, 999)),
            3 => write!(out, "{}.{}", self.rng.range(1, 99), self.rng.below(100)),
            4 => write!(out, "{}%", self.rng.range(1, 100)),
            _ => write!(out, "{},{:03}", self.rng.range(1, 99), self.rng.below(1000)),
        }
        .unwrap();
    }

    /// One sentence of `n` words with commas, numbers, names and final punctuation.
    pub fn sentence(&mut self, out: &mut String, n: usize) {
        let script = self.script();
        for k in 0..n {
            if k > 0 {
                if self.rng.chance(0.07) && k + 1 < n {
                    // In spaced scripts "," is followed by a space; Thai's "comma" is a space itself.
                    out.push_str(script.comma());
                    if script.spaced() {
                        out.push(' ');
                    }
                } else {
                    self.separator(out);
                }
            }
            let r = self.rng.f64();
            if r < 0.025 {
                self.number(out);
                if !script.spaced() {
                    // CJK: counters/units glued to numbers ("2024年").
                    out.push_str(match script {
                        Script::Han | Script::Japanese => {
                            ["年", "月", "日", "个", "人", "円"][self.rng.index(6)]
                        }
                        _ => "",
                    });
                }
            } else if r < 0.045 && script.cased() {
                // A proper noun: a content word, capitalised.
                let i = self.vocab.content_word(&mut self.rng);
                self.push_word_index(out, i, true);
            } else if r < 0.05 && self.typographic && script.spaced() {
                // A quoted word.
                let (o, c) = if script == Script::Latin {
                    ("“", "”")
                } else {
                    ("«", "»")
                };
                out.push_str(o);
                self.word(out, false);
                out.push_str(c);
            } else {
                self.word(out, k == 0 && script.cased());
            }
        }
        let r = self.rng.f64();
        out.push_str(if r < 0.9 {
            script.full_stop()
        } else if r < 0.95 {
            script.question()
        } else {
            script.exclamation()
        });
    }

    /// Number of words in a typical sentence of this language (log-normal, median ~13 words; CJK
    /// "words" are shorter so they get more of them).
    pub fn sentence_len(&mut self) -> usize {
        let median = match self.script() {
            Script::Han | Script::Japanese => 16.0,
            Script::Thai => 12.0,
            _ => 13.0,
        };
        (self.rng.lognormal(median, 0.5) as usize).clamp(3, 60)
    }

    /// A short phrase without final punctuation (headings, menu entries, list items, labels).
    pub fn phrase(&mut self, out: &mut String, n: usize) {
        for k in 0..n {
            if k > 0 {
                self.separator(out);
            }
            // Menus and headings use content words and capitalise them (in cased scripts).
            let i = if k == 0 || self.rng.chance(0.6) {
                if self.rng.chance(0.3) && !self.topic.is_empty() {
                    self.topic[self.rng.index(self.topic.len())]
                } else {
                    self.vocab
                        .content_word(&mut self.rng)
                        .min(self.vocab.n_function + 3000)
                }
            } else {
                self.vocab.sample(&mut self.rng)
            };
            let cap = self.script().cased() && (k == 0 || self.rng.chance(0.5));
            self.push_word_index(out, i, cap);
        }
    }

    /// Separator between title parts: " - ", " | ", " – ".
    pub fn title_separator(&mut self) -> &'static str {
        match self.rng.below(4) {
            0 | 1 => " - ",
            2 => " | ",
            _ => {
                if self.typographic {
                    " – "
                } else {
                    " :: "
                }
            }
        }
    }
}

/// Pushes `w` with its first letter upper-cased.
pub fn push_capitalized(out: &mut String, w: &str) {
    let mut chars = w.chars();
    if let Some(c) = chars.next() {
        out.extend(c.to_uppercase());
        out.push_str(chars.as_str());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_builds_a_vocabulary() {
        for (i, lang) in LANGUAGES.iter().enumerate() {
            let v = vocab(i);
            assert!(
                v.len() > lang.vocab_size / 2,
                "{}: {} words",
                lang.code,
                v.len()
            );
            assert!(v.n_function > 5, "{}", lang.code);
            assert!(!v.word(v.len() - 1).is_empty());
        }
    }

    #[test]
    fn codes_are_unique_iso_639_3() {
        let mut codes: Vec<_> = LANGUAGES.iter().map(|l| l.code).collect();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), LANGUAGES.len());
        assert!(codes.iter().all(|c| c.len() == 3));
    }
}
