"""The message catalogue: every text of the maps and the app in English, Kyrgyz and Russian.

Use :func:`t` to get a message; a test fails when a key lacks a language. Place names come
from ``data/places.csv`` (``name_en``, ``name_ky``, ``name_ru``), not from here.
"""

from __future__ import annotations

from flowmap.data import LANGS
from flowmap.errors import FlowmapError

__all__ = ["LANGS", "LANG_LABELS", "MESSAGES", "t"]

LANG_LABELS: dict[str, str] = {"en": "English", "ky": "Кыргызча", "ru": "Русский"}

MESSAGES: dict[str, dict[str, str]] = {
    # Map title and labels
    "map.title": {
        "en": "Migration of the population of Batken oblast",
        "ky": "Баткен облусунун калкынын миграциясы",
        "ru": "Миграция населения Баткенской области",
    },
    "direction.out": {"en": "Departures", "ky": "Кеткендер", "ru": "Выбывшие"},
    "direction.in": {"en": "Arrivals", "ky": "Келгендер", "ru": "Прибывшие"},
    "direction.net": {
        "en": "Net migration (arrivals − departures)",
        "ky": "Миграциялык сальдо (келгендер − кеткендер)",
        "ru": "Миграционное сальдо (прибывшие − выбывшие)",
    },
    "direction.all": {
        "en": "Departures and arrivals",
        "ky": "Кеткендер жана келгендер",
        "ru": "Выбывшие и прибывшие",
    },
    "sex.total": {"en": "both sexes", "ky": "жалпы", "ru": "оба пола"},
    "sex.male": {"en": "men", "ky": "эркектер", "ru": "мужчины"},
    "sex.female": {"en": "women", "ky": "аялдар", "ru": "женщины"},
    "age.all": {"en": "all ages", "ky": "бардык курактагылар", "ru": "все возрасты"},
    "age.working": {
        "en": "working age",
        "ky": "эмгекке жарамдуу курактагылар",
        "ru": "трудоспособный возраст",
    },
    "basis.reported": {
        "en": "reported in the source",
        "ky": "булакта жарыяланган",
        "ru": "опубликовано в источнике",
    },
    "basis.derived": {
        "en": "derived: arithmetic on reported figures",
        "ky": "эсептелген: жарыяланган сандардан",
        "ru": "вычислено из опубликованных чисел",
    },
    "basis.modelled": {
        "en": "modelled estimate",
        "ky": "моделдик баалоо",
        "ru": "модельная оценка",
    },
    "legend.title": {"en": "Legend", "ky": "Шарттуу белгилер", "ru": "Легенда"},
    "legend.width": {
        "en": "Line width: number of people (square-root scale, the same on every map)",
        "ky": "Сызыктын калыңдыгы: адамдардын саны "
        "(квадрат тамыр шкаласы, бардык карталарда бирдей)",
        "ru": "Толщина линии: число людей (шкала квадратного корня, одна для всех карт)",
    },
    "legend.min_width": {
        "en": "Flows under {count} people are drawn {px} px wide so that they stay visible.",
        "ky": "{count} адамдан аз агымдар көрүнүп турушу үчүн {px} пиксель калыңдыкта тартылат.",
        "ru": "Потоки меньше {count} человек нарисованы толщиной {px} пикс., чтобы их было видно.",
    },
    "legend.people": {"en": "{count} people", "ky": "{count} адам", "ru": "{count} чел."},
    "legend.style.reported": {
        "en": "solid line: reported in the source",
        "ky": "тутумдуу сызык: булакта жарыяланган",
        "ru": "сплошная линия: опубликовано в источнике",
    },
    "legend.style.derived": {
        "en": "pale solid line: derived (arithmetic on reported figures)",
        "ky": "бозомтук тутумдуу сызык: жарыяланган сандардан эсептелген",
        "ru": "бледная сплошная линия: вычислено из опубликованных чисел",
    },
    "legend.style.modelled": {
        "en": "dashed line: modelled estimate (see the method in the tooltip)",
        "ky": "үзүк сызык: моделдик баалоо (ыкмасы сызыктын түшүндүрмөсүндө)",
        "ru": "пунктир: модельная оценка (метод во всплывающей подсказке)",
    },
    "legend.colour.out": {
        "en": "red: departures from Batken oblast",
        "ky": "кызыл: Баткен облусунан кеткендер",
        "ru": "красный: выбывшие из Баткенской области",
    },
    "legend.colour.in": {
        "en": "blue: arrivals in Batken oblast",
        "ky": "көк: Баткен облусуна келгендер",
        "ru": "синий: прибывшие в Баткенскую область",
    },
    "legend.circles": {
        "en": "circle: arrivals + departures shown on this map",
        "ky": "тегерек: бул картадагы келгендер + кеткендер",
        "ru": "круг: прибывшие + выбывшие на этой карте",
    },
    "legend.arrows": {
        "en": "the arrowhead shows the direction",
        "ky": "жебе багытты көрсөтөт",
        "ru": "стрелка показывает направление",
    },
    # Tooltips
    "tip.from": {"en": "From", "ky": "Кайдан", "ru": "Откуда"},
    "tip.to": {"en": "To", "ky": "Кайда", "ru": "Куда"},
    "tip.period": {"en": "Period", "ky": "Мезгил", "ru": "Период"},
    "tip.count": {"en": "People", "ky": "Адам", "ru": "Человек"},
    "tip.net": {"en": "Net", "ky": "Сальдо", "ru": "Сальдо"},
    "tip.group": {"en": "Group", "ky": "Топ", "ru": "Группа"},
    "tip.basis": {"en": "Basis", "ky": "Негизи", "ru": "Основание"},
    "tip.source": {"en": "Source", "ky": "Булак", "ru": "Источник"},
    "tip.method": {"en": "Method", "ky": "Ыкма", "ru": "Метод"},
    "tip.note": {"en": "Note", "ky": "Эскертүү", "ru": "Примечание"},
    "tip.arrivals": {"en": "Arrivals", "ky": "Келгендер", "ru": "Прибывшие"},
    "tip.departures": {"en": "Departures", "ky": "Кеткендер", "ru": "Выбывшие"},
    "tip.anchor": {"en": "Anchor point", "ky": "Белгиленген чекит", "ru": "Опорная точка"},
    "tip.border": {
        "en": "Border of Batken oblast with {country}: {km} km (Natural Earth line)",
        "ky": "Баткен облусунун {country} менен чек арасы: {km} км (Natural Earth сызыгы)",
        "ru": "Граница Баткенской области — {country}: {km} км (линия Natural Earth)",
    },
    "tip.enclave": {
        "en": "Enclave of {country}: {name}, about {area} km²",
        "ky": "Анклав ({country}): {name}, болжол менен {area} км²",
        "ru": "Анклав ({country}): {name}, около {area} км²",
    },
    # Layers
    "layer.flows": {"en": "Flows", "ky": "Агымдар", "ru": "Потоки"},
    "layer.circles": {
        "en": "Places (arrivals + departures)",
        "ky": "Жерлер (келгендер + кеткендер)",
        "ru": "Места (прибывшие + выбывшие)",
    },
    "layer.border": {
        "en": "Batken border, enclaves and centres",
        "ky": "Баткендин чек арасы, анклавдар жана борборлор",
        "ru": "Граница Баткена, анклавы и центры",
    },
    "layer.districts": {"en": "Districts", "ky": "Райондор", "ru": "Районы"},
    "layer.countries": {"en": "Countries", "ky": "Өлкөлөр", "ru": "Страны"},
    "layer.oblasts": {
        "en": "Oblasts of Kyrgyzstan",
        "ky": "Кыргызстандын облустары",
        "ru": "Области Кыргызстана",
    },
    "layer.tiles": {
        "en": "Online map tiles (needs internet)",
        "ky": "Онлайн карта (интернет керек)",
        "ru": "Онлайн-подложка (нужен интернет)",
    },
    # Centres of Batken oblast
    "centre.district.batken": {
        "en": "centre of Batken district; city of oblast significance",
        "ky": "Баткен районунун борбору; облустук маанидеги шаар",
        "ru": "центр Баткенского района; город областного значения",
    },
    "centre.district.leilek": {
        "en": "centre of Leilek district",
        "ky": "Лейлек районунун борбору",
        "ru": "центр Лейлекского района",
    },
    "centre.district.kadamjay": {
        "en": "centre of Kadamjay district",
        "ky": "Кадамжай районунун борбору",
        "ru": "центр Кадамжайского района",
    },
    "centre.city": {
        "en": "city of oblast significance",
        "ky": "облустук маанидеги шаар",
        "ru": "город областного значения",
    },
    # Notes inside the map
    "note.border_2025": {
        "en": "The Kyrgyz–Tajik border was redrawn by the delimitation completed at the end of "
        "2025; the boundary lines shown (Natural Earth) predate it and are approximate.",
        "ky": "Кыргыз-тажик чек арасы 2025-жылдын аягында аяктаган делимитация менен кайра "
        "аныкталган; картадагы чек ара сызыктары (Natural Earth) андан мурунку жана болжолдуу.",
        "ru": "Кыргызско-таджикская граница изменена делимитацией, завершённой в конце 2025 "
        "года; показанные линии (Natural Earth) старше и приблизительны.",
    },
    "note.modelled": {
        "en": "Modelled flows are estimates: the source does not split them.",
        "ky": "Моделдик агымдар болжолдуу баалоо: булак аларды бөлүп көрсөтпөйт.",
        "ru": "Модельные потоки — оценки: источник их не разбивает.",
    },
    "note.symbolic": {
        "en": "“Abroad” and “other oblasts” are drawn to symbolic points, not real places.",
        "ky": "«Чет өлкөлөр» жана «башка облустар» чыныгы жерге эмес, шарттуу чекитке тартылган.",
        "ru": "«Зарубежье» и «другие области» проведены к условным точкам, а не к реальным местам.",
    },
    "note.source": {
        "en": "Source: «Баткен облусунун калкынын миграциясы» (article, tables 1–2 and text). "
        "Boundaries: Natural Earth (public domain). Places: GeoNames (CC BY 4.0).",
        "ky": "Булак: «Баткен облусунун калкынын миграциясы» (макала, 1–2-таблицалар жана "
        "текст). Чек аралар: Natural Earth. Жерлер: GeoNames (CC BY 4.0).",
        "ru": "Источник: «Баткен облусунун калкынын миграциясы» (статья, табл. 1–2 и текст). "
        "Границы: Natural Earth. Места: GeoNames (CC BY 4.0).",
    },
    "note.empty": {
        "en": "No flow matches this selection.",
        "ky": "Бул тандоого ылайык агым жок.",
        "ru": "Для этого выбора потоков нет.",
    },
    # Methods of derived and modelled rows, by the id that starts their method text
    "method.sum-v1": {
        "en": "Derived: the sum of the yearly figures of the period.",
        "ky": "Эсептелген: мезгилдин жылдык сандарынын суммасы.",
        "ru": "Вычислено: сумма годовых чисел за период.",
    },
    "method.gravity-v2": {
        "en": "Modelled: of the flows between Batken and the other oblasts, Osh city, Bishkek "
        "and Chüy together get two thirds (the article says most migrants go there, without a "
        "figure), split by population ÷ distance; the remaining oblasts get one third.",
        "ky": "Моделдик: Баткен менен башка облустардын ортосундагы агымдын үчтөн экиси Ош "
        "шаары, Бишкек жана Чүйгө тиешелүү (макалада мигранттардын көбү ошол жакка кетет "
        "деп айтылат, бирок сан берилбейт), алар калк саны ÷ аралык боюнча бөлүштүрүлөт; "
        "калган облустарга үчтөн бири тиет.",
        "ru": "Модель: из потоков между Баткенской и другими областями две трети приходятся на "
        "город Ош, Бишкек и Чуйскую область (статья пишет, что туда едет большинство, но без "
        "числа) и делятся по населению ÷ расстоянию; прочим областям — одна треть.",
    },
    "method.abroad-shares-v1": {
        "en": "Modelled: the year's departures abroad split by each country's share of the "
        "2014–2023 departures (Russia, Uzbekistan, Kazakhstan, Turkey, USA).",
        "ky": "Моделдик: жылдык чет өлкөгө кеткендер ар бир өлкөнүн 2014–2023-жылдардагы "
        "үлүшү боюнча бөлүштүрүлгөн (Россия, Өзбекстан, Казакстан, Түркия, АКШ).",
        "ru": "Модель: выбывшие за рубеж за год разделены по долям стран в выбывших за "
        "2014–2023 гг. (Россия, Узбекистан, Казахстан, Турция, США).",
    },
    # Data-quality report
    "quality.fate.not_shipped": {
        "en": "{figure}: not shipped",
        "ky": "{figure}: колдонулбайт",
        "ru": "{figure}: не используется",
    },
    "quality.fate.share": {
        "en": "{figure}: a share, checked against its counts{moved}",
        "ky": "{figure}: үлүш, өзүнүн сандары менен текшерилди{moved}",
        "ru": "{figure}: доля, проверена по своим числам{moved}",
    },
    "quality.fate.net": {
        "en": "{figure}{moved}: net shipped as {value}",
        "ky": "{figure}{moved}: сальдо {value} катары колдонулат",
        "ru": "{figure}{moved}: сальдо используется как {value}",
    },
    "quality.fate.flow": {
        "en": "{figure}{moved}: shipped {flow} = {value} ({basis}; {source})",
        "ky": "{figure}{moved}: колдонулат {flow} = {value} ({basis}; {source})",
        "ru": "{figure}{moved}: используется {flow} = {value} ({basis}; {source})",
    },
    "quality.fate.read_as": {
        "en": " (read as {period})",
        "ky": " ({period} деп окулат)",
        "ru": " (читается как {period})",
    },
    "quality.note.resolution": {
        "en": "{id}: {title}. {rule}",
        "ky": "{id}: {title}. {rule}",
        "ru": "{id}: {title}. {rule}",
    },
    "quality.note.coverage": {
        "en": "Coverage: the five countries the article names add up to {total} departures "
        "over 2014–2023 (about {per_year} a year), while the yearly external departures it "
        "gives are {years}. The country figures may cover only part of the departures abroad, "
        "or count something narrower; the modelled yearly country flows assume the 2014–2023 "
        "shares hold for all of them.",
        "ky": "Камтуу: макалада аталган беш өлкөгө 2014–2023-жылдары жалпысынан {total} киши "
        "кеткен (жылына болжол менен {per_year}), ал эми жылдык тышкы миграция боюнча "
        "кеткендер: {years}. Өлкөлөр боюнча сандар чет өлкөгө кеткендердин бир бөлүгүн гана "
        "камтышы же башкача эсептелиши мүмкүн; моделдик жылдык агымдар 2014–2023-жылдардагы "
        "үлүштөр бардык кеткендерге туура келет деп эсептейт.",
        "ru": "Покрытие: пять названных в статье стран дают вместе {total} выбывших за "
        "2014–2023 гг. (около {per_year} в год), тогда как годовые числа выбывших за рубеж: "
        "{years}. Данные по странам могут охватывать лишь часть выбывших или считать иное; "
        "модельные годовые потоки по странам предполагают, что доли 2014–2023 гг. верны для "
        "всех выбывших.",
    },
    "quality.note.model": {
        "en": "Model: internal flows are split {split}. The article says most internal "
        "migrants go to Osh, Bishkek and Chüy («басымдуу түрдө Ош, Бишкек шаарына жана Чүй "
        "облусуна») without a figure; the model reads that as a combined share of {named}. A "
        "pure population-and-distance gravity model would give {pure_split} (only "
        "{pure_named} to the three), which contradicts the article. Parameters: "
        "flowmap.model.GravityParams.",
        "ky": "Модель: ички агымдар мындай бөлүштүрүлөт: {split}. Макалада ички мигранттардын "
        "басымдуу бөлүгү Ош, Бишкек жана Чүйгө кетет деп айтылат, бирок сан берилбейт; модель "
        "аны {named} үлүш деп кабыл алат. Калк саны жана аралык гана эске алынган "
        "гравитациялык модель {pure_split} берет (үчөөнө {pure_named} гана), бул макалага "
        "карама-каршы. Параметрлер: flowmap.model.GravityParams.",
        "ru": "Модель: внутренние потоки разбиты так: {split}. Статья пишет, что большинство "
        "внутренних мигрантов едет в Ош, Бишкек и Чуйскую область, но не даёт числа; модель "
        "принимает их общую долю за {named}. Чистая гравитационная модель по населению и "
        "расстоянию дала бы {pure_split} (только {pure_named} трём направлениям), что "
        "противоречит статье. Параметры: flowmap.model.GravityParams.",
    },
    "quality.note.gaps": {
        "en": "Gaps: no yearly figure for any single country abroad (only 2014–2023 totals), no "
        "split of internal flows by destination, no breakdown by sex before 2017 or for flows "
        "abroad, and no arrivals from abroad by country.",
        "ky": "Боштуктар: чет өлкөлөр боюнча жылдык сан жок (2014–2023-жылдардын жалпы саны "
        "гана бар), ички агымдар багыттарга бөлүнгөн эмес, 2017-жылга чейин жана чет өлкөгө "
        "кеткендер боюнча жыныстык бөлүштүрүү жок, чет өлкөдөн келгендер өлкөлөр боюнча "
        "берилген эмес.",
        "ru": "Пробелы: нет годовых чисел по отдельным странам (только итоги 2014–2023 гг.), "
        "нет разбивки внутренних потоков по направлениям, нет разбивки по полу до 2017 г. и "
        "для внешней миграции, нет прибывших из-за рубежа по странам.",
    },
    # The app
    "app.subtitle": {
        "en": "Where people from Batken oblast go and where its newcomers come from. Every "
        "number is traced to the source article and marked reported, derived or modelled.",
        "ky": "Баткен облусунун тургундары кайда кетет жана жаңы келгендер кайдан келет. Ар "
        "бир сан булак макалага шилтемеленип, жарыяланган, эсептелген же моделдик деп белгиленет.",
        "ru": "Куда уезжают жители Баткенской области и откуда приезжают новые. Каждое число "
        "прослежено до статьи-источника и помечено: опубликовано, вычислено или смоделировано.",
    },
    "app.language": {"en": "Language", "ky": "Тил", "ru": "Язык"},
    "app.when": {"en": "Time", "ky": "Убакыт", "ru": "Время"},
    "app.when.year": {"en": "One year", "ky": "Бир жыл", "ru": "Один год"},
    "app.when.period": {"en": "Several years", "ky": "Бир нече жыл", "ru": "Несколько лет"},
    "app.year": {"en": "Year", "ky": "Жыл", "ru": "Год"},
    "app.period": {"en": "Period", "ky": "Мезгил", "ru": "Период"},
    "app.dest": {"en": "Destinations", "ky": "Багыттар", "ru": "Направления"},
    "app.select_all": {"en": "All", "ky": "Баары", "ru": "Все"},
    "app.select_none": {"en": "None", "ky": "Эч бири", "ru": "Ни одного"},
    "app.direction": {"en": "Direction", "ky": "Багыт", "ru": "Направление"},
    "app.sex": {"en": "Sex", "ky": "Жынысы", "ru": "Пол"},
    "app.basis": {"en": "Figures", "ky": "Сандар", "ru": "Данные"},
    "app.basis.reported": {
        "en": "Reported figures only",
        "ky": "Жарыяланган сандар гана",
        "ru": "Только опубликованные",
    },
    "app.basis.all": {
        "en": "Include modelled estimates",
        "ky": "Моделдик баалоолор менен",
        "ru": "С модельными оценками",
    },
    "app.border": {
        "en": "Border overlay (borders, enclaves, district centres)",
        "ky": "Чек ара катмары (чек аралар, анклавдар, райондордун борборлору)",
        "ru": "Слой границ (границы, анклавы, центры районов)",
    },
    "app.basemap": {"en": "Basemap", "ky": "Негизги карта", "ru": "Подложка"},
    "app.basemap.offline": {
        "en": "Offline outlines",
        "ky": "Оффлайн контурлар",
        "ru": "Офлайн-контуры",
    },
    "app.basemap.tiles": {
        "en": "Online tiles (needs internet)",
        "ky": "Онлайн карта (интернет керек)",
        "ru": "Онлайн-тайлы (нужен интернет)",
    },
    "app.districts": {
        "en": "District boundaries (optional)",
        "ky": "Райондордун чек аралары (милдеттүү эмес)",
        "ru": "Границы районов (необязательно)",
    },
    "app.districts.help": {
        "en": "A GeoJSON, GeoPackage, TopoJSON or zipped Shapefile; areas are matched by name "
        "in English, Kyrgyz or Russian.",
        "ky": "GeoJSON, GeoPackage, TopoJSON же zip ичиндеги Shapefile; аймактар англисче, "
        "кыргызча же орусча аталышы боюнча табылат.",
        "ru": "GeoJSON, GeoPackage, TopoJSON или Shapefile в zip; области сопоставляются по "
        "названию на английском, кыргызском или русском.",
    },
    "app.districts.loaded": {
        "en": "{count} areas drawn, {matched} matched to Batken's districts and cities.",
        "ky": "{count} аймак тартылды, анын {matched} Баткендин райондоруна жана шаарларына "
        "дал келди.",
        "ru": "Нарисовано областей: {count}, из них сопоставлено с районами и городами "
        "Баткена: {matched}.",
    },
    "general.title": {"en": "Flows", "ky": "Агымдар", "ru": "Потоки"},
    "general.source": {
        "en": "Source and notes",
        "ky": "Булак жана эскертүүлөр",
        "ru": "Источник и примечания",
    },
    "general.kind.out": {
        "en": "flows out of the chosen places",
        "ky": "тандалган жерлерден чыккан агымдар",
        "ru": "потоки из выбранных мест",
    },
    "general.kind.in": {
        "en": "flows into the chosen places",
        "ky": "тандалган жерлерге кирген агымдар",
        "ru": "потоки в выбранные места",
    },
    "general.kind.between": {
        "en": "flows between places",
        "ky": "жерлердин ортосундагы агымдар",
        "ru": "потоки между местами",
    },
    "general.kind.net": {
        "en": "net flows (the larger direction minus the smaller)",
        "ky": "таза агымдар (чоң багыт минус кичи багыт)",
        "ru": "чистые потоки (больший поток минус меньший)",
    },
    "general.skipped": {
        "en": "{total} rows are not drawn: {self} from a place to itself, {zero} with a zero "
        "count, {located} whose places have no coordinates ({places}).",
        "ky": "{total} сап тартылган жок: {self} бир эле жерден ошол жерге, {zero} нөл сан "
        "менен, {located} жерлеринин координаттары жок ({places}).",
        "ru": "Не нарисовано строк: {total}; из них {self} из места в то же место, {zero} с "
        "нулевым числом, {located} без координат мест ({places}).",
    },
    "layer.labels": {"en": "Place names", "ky": "Жер аттары", "ru": "Названия мест"},
    "app.error": {
        "en": "Something went wrong while drawing this page. The details are in the server's "
        "log; try another selection or reload the page.",
        "ky": "Бул баракты тартууда ката кетти. Толук маалымат сервердин журналында; башка "
        "тандоону колдонуп көрүңүз же баракты кайра жүктөңүз.",
        "ru": "При построении страницы произошла ошибка. Подробности записаны в журнал "
        "сервера; попробуйте другой выбор или перезагрузите страницу.",
    },
    "app.bad_query": {
        "en": "The link's value {key}={value} is not valid; the default is used instead.",
        "ky": "Шилтемедеги {key}={value} мааниси туура эмес; анын ордуна демейки маани колдонулат.",
        "ru": "Значение {key}={value} в ссылке недопустимо; вместо него взято значение по "
        "умолчанию.",
    },
    "app.no_dest": {
        "en": "No destination is selected: choose at least one in the sidebar.",
        "ky": "Бир да багыт тандалган жок: капталдагы тизмеден жок дегенде бирөөнү тандаңыз.",
        "ru": "Не выбрано ни одного направления: выберите хотя бы одно на боковой панели.",
    },
    "app.explain.only_modelled": {
        "en": "{place}, {period}: the source gives no reported figure; only a modelled "
        "estimate exists. Choose “Include modelled estimates” to see it.",
        "ky": "{place}, {period}: булакта жарыяланган сан жок; моделдик баалоо гана бар. "
        "Аны көрүү үчүн «Моделдик баалоолор менен» дегенди тандаңыз.",
        "ru": "{place}, {period}: в источнике нет опубликованного числа, есть только модельная "
        "оценка. Выберите «С модельными оценками», чтобы её увидеть.",
    },
    "app.explain.other_periods": {
        "en": "No reported figure exists for {place} in {period} for this group. The source "
        "gives {place} only for: {periods}.",
        "ky": "{period} үчүн {place} боюнча бул топко жарыяланган сан жок. Булак {place} "
        "боюнча маалыматты гана төмөнкү мезгилге берет: {periods}.",
        "ru": "{place}, {period}: для этой группы опубликованного числа нет. Источник даёт "
        "данные только за: {periods}.",
    },
    "app.explain.other_periods_year": {
        "en": "No reported yearly figure exists for {place} in {period}. The source gives "
        "{place} only for: {periods}.",
        "ky": "{period}-жыл үчүн {place} боюнча жылдык жарыяланган сан жок. Булак {place} "
        "боюнча маалыматты гана төмөнкү мезгилге берет: {periods}.",
        "ru": "{place}: опубликованного годового числа за {period} год нет. Источник даёт "
        "данные только за: {periods}.",
    },
    "app.explain.nothing": {
        "en": "{place}, {period}: the source gives no figure, and none is modelled.",
        "ky": "{place}, {period}: булакта сан жок жана моделдик баалоо да жок.",
        "ru": "{place}, {period}: в источнике нет числа, модельной оценки тоже нет.",
    },
    "app.explain.no_net": {
        "en": "Net migration, {period}: the source gives no arrivals and departures for the "
        "same group and period here.",
        "ky": "Миграциялык сальдо, {period}: булакта бул топ жана мезгил үчүн келгендер да, "
        "кеткендер да берилген эмес.",
        "ru": "Миграционное сальдо, {period}: в источнике нет прибывших и выбывших для этой "
        "группы и периода.",
    },
    "app.explain.aggregate": {
        "en": "Shown as a total: {place}. The source does not split it by destination.",
        "ky": "Жалпы сан катары көрсөтүлдү: {place}. Булак аны багыттарга бөлбөйт.",
        "ru": "Показано итогом: {place}. Источник не разбивает его по направлениям.",
    },
    "app.download_html": {
        "en": "Download this map (HTML, works offline)",
        "ky": "Бул картаны жүктөп алуу (HTML, интернетсиз иштейт)",
        "ru": "Скачать карту (HTML, работает без интернета)",
    },
    "app.download_csv": {
        "en": "Download the table (CSV)",
        "ky": "Таблицаны жүктөп алуу (CSV)",
        "ru": "Скачать таблицу (CSV)",
    },
    "app.map_alt": {
        "en": "Flow map of migration of Batken oblast",
        "ky": "Баткен облусунун миграция агымдарынын картасы",
        "ru": "Карта миграционных потоков Баткенской области",
    },
    "app.tab.table": {"en": "Numbers", "ky": "Сандар", "ru": "Числа"},
    "app.tab.charts": {"en": "By year", "ky": "Жылдар боюнча", "ru": "По годам"},
    "app.tab.quality": {"en": "Data quality", "ky": "Маалыматтын сапаты", "ru": "Качество данных"},
    "app.tab.coverage": {"en": "Coverage", "ky": "Камтуу", "ru": "Покрытие"},
    "app.tab.about": {"en": "About", "ky": "Долбоор жөнүндө", "ru": "О проекте"},
    "app.chart.yearly": {
        "en": "Migration between Batken and the other oblasts (Table 1)",
        "ky": "Баткен менен башка облустардын ортосундагы миграция (1-таблица)",
        "ru": "Миграция между Баткенской и другими областями (табл. 1)",
    },
    "app.chart.by_sex": {
        "en": "By sex, 2017–2023 (Table 2)",
        "ky": "Жынысы боюнча, 2017–2023 (2-таблица)",
        "ru": "По полу, 2017–2023 (табл. 2)",
    },
    "app.chart.year": {"en": "Year", "ky": "Жыл", "ru": "Год"},
    "app.chart.people": {"en": "People", "ky": "Адам", "ru": "Человек"},
    "app.chart.arrivals_male": {
        "en": "Arrivals, men",
        "ky": "Келгендер, эркектер",
        "ru": "Прибывшие, мужчины",
    },
    "app.chart.arrivals_female": {
        "en": "Arrivals, women",
        "ky": "Келгендер, аялдар",
        "ru": "Прибывшие, женщины",
    },
    "app.chart.departures_male": {
        "en": "Departures, men",
        "ky": "Кеткендер, эркектер",
        "ru": "Выбывшие, мужчины",
    },
    "app.chart.departures_female": {
        "en": "Departures, women",
        "ky": "Кеткендер, аялдар",
        "ru": "Выбывшие, женщины",
    },
    "app.chart.note_2021": {
        "en": "2021 arrivals: 561 (Table 2 and Table 1's net); Table 1 prints 261.",
        "ky": "2021-жылы келгендер: 561 (2-таблица жана 1-таблицадагы сальдо); 1-таблицада 261 "
        "деп басылган.",
        "ru": "Прибывшие в 2021 г.: 561 (табл. 2 и сальдо табл. 1); в табл. 1 напечатано 261.",
    },
    "app.quality.summary": {
        "en": "{checks} checks: {passed} passed, {resolved} failed as documented "
        "contradictions of the source, {failed} failed without explanation.",
        "ky": "{checks} текшерүү: {passed} ийгиликтүү, {resolved} булактагы документтелген "
        "карама-каршылык, {failed} түшүндүрмөсүз ката.",
        "ru": "Проверок: {checks}; пройдено {passed}, {resolved} — задокументированные "
        "противоречия источника, {failed} — без объяснения.",
    },
    "app.quality.rule": {"en": "Rule", "ky": "Эреже", "ru": "Правило"},
    "app.quality.values": {
        "en": "Values and what is shipped",
        "ky": "Маанилер жана эмне колдонулат",
        "ru": "Значения и что используется",
    },
    "app.quality.notes": {"en": "Notes", "ky": "Эскертүүлөр", "ru": "Примечания"},
    "app.coverage.caption": {
        "en": "Best figure available for departures from Batken, by destination and year.",
        "ky": "Баткенден кеткендер боюнча багыт жана жыл үчүн эң ишенимдүү сан.",
        "ru": "Лучшие доступные данные о выбывших из Баткена по направлениям и годам.",
    },
    "app.coverage.none": {"en": "no data", "ky": "маалымат жок", "ru": "нет данных"},
    "app.about": {
        "en": "Figures come from the article «Баткен облусунун калкынын миграциясы» "
        "(Migration of the population of Batken region). Reported figures are printed there; "
        "derived ones are arithmetic on them; modelled ones are estimates: the split of "
        "internal flows among Osh city, Bishkek, Chüy and the other oblasts (a gravity model "
        "that gives the three named destinations two thirds, as the article says most go "
        "there), and the yearly split of departures abroad by the 2014–2023 country shares. "
        "Boundaries: Natural Earth; places: GeoNames (CC BY 4.0).",
        "ky": "Сандар «Баткен облусунун калкынын миграциясы» макаласынан алынды. Жарыяланган "
        "сандар ошол макалада басылган; эсептелгендери алардан арифметика менен алынган; "
        "моделдик сандар баалоо: ички агымдарды Ош шаары, Бишкек, Чүй жана башка облустарга "
        "бөлүштүрүү (гравитациялык модель, макалада айтылгандай үч негизги багытка үчтөн эки "
        "бөлүгүн берет) жана чет өлкөгө кеткендерди 2014–2023-жылдардагы өлкөлөрдүн үлүшү "
        "боюнча жылдарга бөлүштүрүү. Чек аралар: Natural Earth; жерлер: GeoNames (CC BY 4.0).",
        "ru": "Числа взяты из статьи «Баткен облусунун калкынын миграциясы» (Миграция населения "
        "Баткенской области). Опубликованные числа напечатаны в ней; вычисленные получены из "
        "них арифметикой; модельные — оценки: разбивка внутренних потоков между городом Ош, "
        "Бишкеком, Чуйской и прочими областями (гравитационная модель, отдающая трём "
        "названным направлениям две трети, как пишет статья) и разбивка выбывших за рубеж по "
        "годам по долям стран за 2014–2023 гг. Границы: Natural Earth; места: GeoNames "
        "(CC BY 4.0).",
    },
}


def t(key: str, lang: str = "en", /, **values: object) -> str:
    """Return the message ``key`` in ``lang``, with ``{name}`` fields filled from ``values``.

    Raises
    ------
    FlowmapError
        If the language or the key is unknown.
    """
    if lang not in LANGS:
        raise FlowmapError(f"language must be one of {', '.join(LANGS)}, got {lang!r}")
    try:
        text = MESSAGES[key][lang]
    except KeyError:
        raise FlowmapError(f"no message {key!r} in language {lang!r}") from None
    return text.format(**values) if values else text


def method_text(method: str, lang: str = "en") -> str:
    """Return a derived or modelled row's method in ``lang``.

    Method texts start with an id (``gravity-v2: ...``); a known id gets its translated
    summary, any other method (from a user's file) is returned as it is.
    """
    key = "method." + method.split(":", 1)[0].strip()
    if not method or key not in MESSAGES:
        return method
    return t(key, lang)
