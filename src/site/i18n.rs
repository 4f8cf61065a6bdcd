//! Languages: the theme's strings in every shipped language (one catalogue, with the
//! `code.json` key a Docusaurus book translates them under), a locale's direction and
//! name, the language switcher's links and the sitemap with `hreflang` alternates.

use crate::config::{Config, Direction};
use crate::diagnostic::Diagnostic;
use serde::Serialize;
use std::collections::BTreeMap;

/// The switcher's and right-to-left layout's stylesheet, shipped only to sites that use it.
pub(crate) const STYLESHEET: &str = "assets/i18n.css";

/// The shipped languages, in the column order of [`CATALOGUE`].
const LANGUAGES: [&str; 6] = ["en", "ur", "ar", "es", "fr", "zh"];

/// One theme string: our key, Docusaurus' `code.json` key (`""`: none; a book overrides it
/// with `syllabus.<key>`), whether a script uses it, and its text in [`LANGUAGES`] order.
type Entry = (&'static str, &'static str, bool, [&'static str; 6]);

/// Every user-visible string of `templates/` and `static/assets/*.js`.
#[rustfmt::skip]
const CATALOGUE: &[Entry] = &[
    ("skip_to_content", "theme.common.skipToMainContent", false, ["Skip to content", "مواد پر جائیں", "انتقل إلى المحتوى", "Ir al contenido", "Aller au contenu", "跳到正文"]),
    ("menu_open", "", true, ["Open course menu", "کورس کا مینو کھولیں", "افتح قائمة الدورة", "Abrir el menú del curso", "Ouvrir le menu du cours", "打开课程菜单"]),
    ("menu_close", "", true, ["Close course menu", "کورس کا مینو بند کریں", "أغلق قائمة الدورة", "Cerrar el menú del curso", "Fermer le menu du cours", "关闭课程菜单"]),
    ("search", "theme.SearchBar.label", false, ["Search", "تلاش", "بحث", "Buscar", "Rechercher", "搜索"]),
    ("search_course", "", false, ["Search the course", "کورس میں تلاش کریں", "ابحث في الدورة", "Buscar en el curso", "Rechercher dans le cours", "搜索课程"]),
    ("search_results", "", false, ["Search results", "تلاش کے نتائج", "نتائج البحث", "Resultados de la búsqueda", "Résultats de la recherche", "搜索结果"]),
    ("cancel", "", true, ["Cancel", "منسوخ", "إلغاء", "Cancelar", "Annuler", "取消"]),
    ("switch_theme", "", false, ["Switch color theme", "رنگ کا انداز بدلیں", "بدّل نمط الألوان", "Cambiar el tema de color", "Changer le thème de couleur", "切换配色"]),
    ("theme_to_dark", "", true, ["Switch to dark theme", "گہرا انداز چنیں", "انتقل إلى النمط الداكن", "Cambiar al tema oscuro", "Passer au thème sombre", "切换到深色主题"]),
    ("theme_to_light", "", true, ["Switch to light theme", "ہلکا انداز چنیں", "انتقل إلى النمط الفاتح", "Cambiar al tema claro", "Passer au thème clair", "切换到浅色主题"]),
    ("course_nav", "theme.docs.sidebar.navAriaLabel", false, ["Course", "کورس", "الدورة", "Curso", "Cours", "课程"]),
    ("all_parts", "", false, ["All parts and lessons", "تمام حصے اور اسباق", "كل الأجزاء والدروس", "Todas las partes y lecciones", "Toutes les parties et leçons", "全部章节和课程"]),
    ("on_this_page", "theme.TOCCollapsible.toggleButtonLabel", false, ["On this page", "اس صفحے پر", "في هذه الصفحة", "En esta página", "Sur cette page", "本页内容"]),
    ("pager", "theme.docs.paginator.navAriaLabel", false, ["Previous and next", "پچھلا اور اگلا", "السابق والتالي", "Anterior y siguiente", "Précédent et suivant", "上一页和下一页"]),
    ("previous", "theme.docs.paginator.previous", false, ["Previous", "پچھلا", "السابق", "Anterior", "Précédent", "上一页"]),
    ("next", "theme.docs.paginator.next", false, ["Next", "اگلا", "التالي", "Siguiente", "Suivant", "下一页"]),
    ("built_with", "", false, ["Built with Syllabus", "Syllabus سے بنایا گیا", "أُنشئ باستخدام Syllabus", "Hecho con Syllabus", "Créé avec Syllabus", "由 Syllabus 构建"]),
    ("back_to_top", "", false, ["Back to top", "اوپر جائیں", "العودة إلى الأعلى", "Volver arriba", "Retour en haut", "回到顶部"]),
    ("breadcrumb", "theme.docs.breadcrumbs.navAriaLabel", false, ["Breadcrumb", "راستہ", "مسار التنقل", "Ruta de navegación", "Fil d’Ariane", "导航路径"]),
    ("edit_page", "theme.common.editThisPage", false, ["Edit this page", "اس صفحے میں ترمیم کریں", "عدّل هذه الصفحة", "Editar esta página", "Modifier cette page", "编辑此页"]),
    ("last_updated", "", false, ["Last updated on", "آخری تبدیلی", "آخر تحديث في", "Última actualización:", "Dernière mise à jour le", "最后更新于"]),
    ("in_this_section", "", false, ["In this section", "اس حصے میں", "في هذا القسم", "En esta sección", "Dans cette section", "本节内容"]),
    ("course_map", "", false, ["Course map", "کورس کا نقشہ", "خريطة الدورة", "Mapa del curso", "Plan du cours", "课程地图"]),
    ("print_chapter", "", false, ["Print this chapter", "یہ باب پرنٹ کریں", "اطبع هذا الفصل", "Imprimir este capítulo", "Imprimer ce chapitre", "打印本章"]),
    ("lesson_n", "", false, ["Lesson {n}", "سبق {n}", "الدرس {n}", "Lección {n}", "Leçon {n}", "第 {n} 课"]),
    ("lesson_n_of", "", false, ["Lesson {n} of {total}", "سبق {n} از {total}", "الدرس {n} من {total}", "Lección {n} de {total}", "Leçon {n} sur {total}", "第 {n} 课，共 {total} 课"]),
    ("duration", "", false, ["Duration:", "دورانیہ:", "المدة:", "Duración:", "Durée :", "时长："]),
    ("reading_time", "", false, ["{time} read", "{time} مطالعہ", "{time} قراءة", "{time} de lectura", "{time} de lecture", "阅读 {time}"]),
    ("one_lesson", "", false, ["1 lesson", "1 سبق", "درس واحد", "1 lección", "1 leçon", "1 课"]),
    ("n_lessons", "", false, ["{n} lessons", "{n} اسباق", "{n} دروس", "{n} lecciones", "{n} leçons", "{n} 课"]),
    ("total", "", false, ["Total:", "کل:", "المجموع:", "Total:", "Total :", "总计："]),
    ("about_lesson", "", false, ["About this lesson", "اس سبق کے بارے میں", "عن هذا الدرس", "Sobre esta lección", "À propos de cette leçon", "关于本课"]),
    ("you_will_learn", "", false, ["What you will learn", "آپ کیا سیکھیں گے", "ما ستتعلمه", "Lo que aprenderás", "Ce que vous apprendrez", "你将学到"]),
    ("before_you_start", "", false, ["Before you start", "شروع کرنے سے پہلے", "قبل أن تبدأ", "Antes de empezar", "Avant de commencer", "开始之前"]),
    ("skills", "", false, ["Skills", "مہارتیں", "المهارات", "Habilidades", "Compétences", "技能"]),
    ("unlisted_title", "theme.unlistedContent.title", false, ["Unlisted page", "غیر فہرست صفحہ", "صفحة غير مدرجة", "Página no listada", "Page non listée", "未列出的页面"]),
    ("unlisted_text", "", false, ["This page is unlisted: it is not in the sidebar, the search or the sitemap, search engines are asked not to index it, and only readers with its link can find it.", "یہ صفحہ فہرست میں نہیں: یہ سائیڈبار، تلاش اور سائٹ میپ میں نہیں، سرچ انجنوں سے اسے شامل نہ کرنے کو کہا گیا ہے، اور صرف لنک رکھنے والے اسے دیکھ سکتے ہیں۔", "هذه الصفحة غير مدرجة: ليست في الشريط الجانبي ولا في البحث ولا في خريطة الموقع، وطُلب من محركات البحث عدم فهرستها، ولا يصل إليها إلا من لديه رابطها.", "Esta página no está listada: no aparece en la barra lateral, la búsqueda ni el mapa del sitio, se pide a los buscadores que no la indexen y solo la encuentra quien tenga su enlace.", "Cette page n’est pas listée : elle n’est ni dans la barre latérale, ni dans la recherche, ni dans le plan du site, les moteurs de recherche sont priés de ne pas l’indexer et seuls ceux qui ont son lien la trouvent.", "此页面未列出：它不在侧边栏、搜索或站点地图中，搜索引擎被要求不要收录它，只有拥有链接的读者才能找到它。"]),
    ("tags", "theme.tags.tagsListLabel", false, ["Tags:", "ٹیگز:", "الوسوم:", "Etiquetas:", "Étiquettes :", "标签："]),
    ("all_tags", "theme.tags.tagsPageLink", false, ["View all tags", "تمام ٹیگز دیکھیں", "عرض كل الوسوم", "Ver todas las etiquetas", "Voir toutes les étiquettes", "查看全部标签"]),
    ("not_found_title", "theme.NotFound.title", false, ["Page not found", "صفحہ نہیں ملا", "الصفحة غير موجودة", "Página no encontrada", "Page introuvable", "找不到页面"]),
    ("not_found_text", "", false, ["The page you are looking for does not exist or has moved. Check the address, or pick a lesson from the course menu.", "آپ جو صفحہ ڈھونڈ رہے ہیں وہ موجود نہیں یا منتقل ہو گیا ہے۔ پتہ جانچیں، یا کورس کے مینو سے کوئی سبق چنیں۔", "الصفحة التي تبحث عنها غير موجودة أو نُقلت. تحقق من العنوان، أو اختر درسًا من قائمة الدورة.", "La página que buscas no existe o se ha movido. Revisa la dirección o elige una lección del menú del curso.", "La page que vous cherchez n’existe pas ou a été déplacée. Vérifiez l’adresse, ou choisissez une leçon dans le menu du cours.", "你要找的页面不存在或已移动。请检查地址，或从课程菜单中选择一课。"]),
    ("home", "", false, ["Home", "سرورق", "الرئيسية", "Inicio", "Accueil", "首页"]),
    ("page_n_of", "", false, ["Page {n} of {total}", "صفحہ {n} از {total}", "الصفحة {n} من {total}", "Página {n} de {total}", "Page {n} sur {total}", "第 {n} 页，共 {total} 页"]),
    ("list_range", "", false, ["{from}–{to} of {total}", "{total} میں سے {from}–{to}", "{from}–{to} من {total}", "{from}–{to} de {total}", "{from}–{to} sur {total}", "第 {from}–{to} 项，共 {total} 项"]),
    ("list_pages", "", false, ["Pages of this list", "اس فہرست کے صفحات", "صفحات هذه القائمة", "Páginas de esta lista", "Pages de cette liste", "此列表的各页"]),
    ("tag_pages", "", false, ["Pages of this tag", "اس ٹیگ کے صفحات", "صفحات هذا الوسم", "Páginas de esta etiqueta", "Pages de cette étiquette", "此标签的各页"]),
    ("tag_title_one", "", false, ["1 doc tagged with \"{tag}\"", "\"{tag}\" ٹیگ والی 1 دستاویز", "مستند واحد موسوم بـ \"{tag}\"", "1 documento etiquetado con \"{tag}\"", "1 document avec l’étiquette « {tag} »", "1 篇文档带有标签“{tag}”"]),
    ("tag_title", "", false, ["{n} docs tagged with \"{tag}\"", "\"{tag}\" ٹیگ والی {n} دستاویزات", "{n} مستندات موسومة بـ \"{tag}\"", "{n} documentos etiquetados con \"{tag}\"", "{n} documents avec l’étiquette « {tag} »", "{n} 篇文档带有标签“{tag}”"]),
    ("tags_title", "theme.tags.tagsPageTitle", false, ["Tags", "ٹیگز", "الوسوم", "Etiquetas", "Étiquettes", "标签"]),
    ("min_unit", "", false, ["min", "منٹ", "د", "min", "min", "分钟"]),
    ("h_unit", "", false, ["h", "گھنٹے", "س", "h", "h", "小时"]),
    ("back_to_chapter", "", false, ["Back to the chapter", "باب پر واپس", "العودة إلى الفصل", "Volver al capítulo", "Retour au chapitre", "返回本章"]),
    ("print", "", false, ["Print", "پرنٹ", "اطبع", "Imprimir", "Imprimer", "打印"]),
    ("chapter_lessons", "", false, ["Lessons of this chapter", "اس باب کے اسباق", "دروس هذا الفصل", "Lecciones de este capítulo", "Leçons de ce chapitre", "本章课程"]),
    ("quiz_answers", "", false, ["Quiz answers", "کوئز کے جواب", "إجابات الاختبار", "Respuestas del cuestionario", "Réponses du quiz", "测验答案"]),
    ("introduction", "", false, ["Introduction", "تعارف", "مقدمة", "Introducción", "Introduction", "简介"]),
    ("lesson_n_dot", "", false, ["Lesson {n}.", "سبق {n}۔", "الدرس {n}.", "Lección {n}.", "Leçon {n}.", "第 {n} 课。"]),
    ("map_intro", "", false, ["Every lesson of {title}: how long it takes, what you will learn and the skills it builds.", "{title} کا ہر سبق: اس میں کتنا وقت لگتا ہے، آپ کیا سیکھیں گے اور کون سی مہارتیں بنتی ہیں۔", "كل دروس {title}: مدة كل درس، وما ستتعلمه، والمهارات التي يبنيها.", "Cada lección de {title}: cuánto dura, qué aprenderás y qué habilidades desarrolla.", "Chaque leçon de {title} : sa durée, ce que vous apprendrez et les compétences qu’elle développe.", "{title} 的每一课：所需时间、学习内容和培养的技能。"]),
    ("map_parts_intro", "", false, ["{title}, part by part: open a part for its lessons, how long each takes, what you will learn and the skills it builds.", "{title}، حصہ بہ حصہ: کسی حصے کو کھولیں تو اس کے اسباق، ہر ایک کا وقت، آپ کیا سیکھیں گے اور کون سی مہارتیں بنتی ہیں۔", "{title}، جزءًا جزءًا: افتح جزءًا لترى دروسه، ومدة كل درس، وما ستتعلمه، والمهارات التي يبنيها.", "{title}, parte por parte: abre una parte para ver sus lecciones, cuánto dura cada una, qué aprenderás y qué habilidades desarrolla.", "{title}, partie par partie : ouvrez une partie pour ses leçons, leur durée, ce que vous apprendrez et les compétences qu’elles développent.", "{title} 分部分：打开一个部分，查看其中的课程、每课所需时间、学习内容和培养的技能。"]),
    ("map_whole", "", false, ["The whole course map", "پورے کورس کا نقشہ", "خريطة الدورة كاملة", "El mapa completo del curso", "Le plan complet du cours", "完整课程地图"]),
    ("lessons", "", false, ["Lessons", "اسباق", "الدروس", "Lecciones", "Leçons", "课程"]),
    ("time", "", false, ["Time", "وقت", "الوقت", "Tiempo", "Durée", "时间"]),
    ("quiz_questions", "", false, ["Quiz questions", "کوئز کے سوال", "أسئلة الاختبار", "Preguntas", "Questions de quiz", "测验题"]),
    ("one_quiz_question", "", false, ["1 quiz question", "کوئز کا 1 سوال", "سؤال اختبار واحد", "1 pregunta", "1 question de quiz", "1 道测验题"]),
    ("n_quiz_questions", "", false, ["{n} quiz questions", "کوئز کے {n} سوال", "{n} أسئلة اختبار", "{n} preguntas", "{n} questions de quiz", "{n} 道测验题"]),
    ("estimated_part", "", false, ["{time} of it estimated from reading time", "جن میں {time} مطالعے کے وقت سے اندازاً", "منها {time} مقدّرة من وقت القراءة", "{time} estimados por el tiempo de lectura", "dont {time} estimées d’après le temps de lecture", "其中 {time} 按阅读时间估算"]),
    ("estimated_all", "", false, ["all estimated from reading time", "سب مطالعے کے وقت سے اندازاً", "كلها مقدّرة من وقت القراءة", "todo estimado por el tiempo de lectura", "entièrement estimée d’après le temps de lecture", "全部按阅读时间估算"]),
    ("objectives", "", false, ["Objectives", "مقاصد", "الأهداف", "Objetivos", "Objectifs", "学习目标"]),
    ("skills_index", "", false, ["Skills index", "مہارتوں کا اشاریہ", "فهرس المهارات", "Índice de habilidades", "Index des compétences", "技能索引"]),
    ("read_suffix", "", false, [" read", " مطالعہ", " قراءة", " de lectura", " de lecture", "（阅读）"]),
    ("go_home", "", false, ["Go to the home page", "سرورق پر جائیں", "اذهب إلى الصفحة الرئيسية", "Ir a la página de inicio", "Aller à l’accueil", "返回首页"]),
    ("contents", "", false, ["Contents", "فہرست", "المحتويات", "Contenido", "Sommaire", "目录"]),
    ("languages", "theme.navbar.mobileLanguageDropdown.label", false, ["Languages", "زبانیں", "اللغات", "Idiomas", "Langues", "语言"]),
    ("untranslated", "", false, ["This page has not been translated yet: you are reading the original.", "اس صفحے کا ترجمہ ابھی نہیں ہوا: آپ اصل متن پڑھ رہے ہیں۔", "لم تُترجم هذه الصفحة بعد: أنت تقرأ النص الأصلي.", "Esta página aún no está traducida: estás leyendo el original.", "Cette page n’est pas encore traduite : vous lisez l’original.", "此页面尚未翻译：你正在阅读原文。"]),
    ("copy", "theme.CodeBlock.copy", true, ["Copy", "کاپی", "نسخ", "Copiar", "Copier", "复制"]),
    ("copied", "theme.CodeBlock.copied", true, ["Copied", "کاپی ہو گیا", "تم النسخ", "Copiado", "Copié", "已复制"]),
    ("copy_code", "theme.CodeBlock.copyButtonAriaLabel", true, ["Copy code to clipboard", "کوڈ کلپ بورڈ پر کاپی کریں", "انسخ الشيفرة إلى الحافظة", "Copiar el código al portapapeles", "Copier le code dans le presse-papiers", "复制代码到剪贴板"]),
    ("code_copied", "", true, ["Code copied to clipboard", "کوڈ کلپ بورڈ پر کاپی ہو گیا", "نُسخت الشيفرة إلى الحافظة", "Código copiado al portapapeles", "Code copié dans le presse-papiers", "代码已复制到剪贴板"]),
    ("copy_failed", "", true, ["Copy failed", "کاپی نہیں ہو سکا", "تعذّر النسخ", "No se pudo copiar", "Échec de la copie", "复制失败"]),
    ("failed", "", true, ["Failed", "ناکام", "فشل", "Error", "Échec", "失败"]),
    ("table", "", true, ["Table", "جدول", "جدول", "Tabla", "Tableau", "表格"]),
    ("quiz_check", "", true, ["Check answers", "جواب جانچیں", "تحقّق من الإجابات", "Comprobar respuestas", "Vérifier les réponses", "检查答案"]),
    ("quiz_reset", "", true, ["Try again", "دوبارہ کوشش کریں", "حاول مجددًا", "Intentar de nuevo", "Réessayer", "再试一次"]),
    ("quiz_score_short", "", true, ["{right} of {total}", "{total} میں سے {right}", "{right} من {total}", "{right} de {total}", "{right} sur {total}", "{right} / {total}"]),
    ("quiz_choose_one", "", true, ["Choose an answer.", "ایک جواب چنیں۔", "اختر إجابة.", "Elige una respuesta.", "Choisissez une réponse.", "请选择一个答案。"]),
    ("quiz_choose_many", "", true, ["Choose one answer or more.", "ایک یا زیادہ جواب چنیں۔", "اختر إجابة واحدة أو أكثر.", "Elige una o más respuestas.", "Choisissez une ou plusieurs réponses.", "请选择一个或多个答案。"]),
    ("quiz_correct", "", true, ["Correct.", "درست۔", "صحيح.", "Correcto.", "Correct.", "正确。"]),
    ("quiz_wrong", "", true, ["Not quite.", "ابھی نہیں۔", "ليس تمامًا.", "No del todo.", "Pas tout à fait.", "不太对。"]),
    ("quiz_wrong_many", "", true, ["Not quite: select every right answer and nothing else.", "ابھی نہیں: تمام درست جواب چنیں اور کچھ اور نہیں۔", "ليس تمامًا: اختر كل الإجابات الصحيحة ولا شيء غيرها.", "No del todo: marca todas las respuestas correctas y nada más.", "Pas tout à fait : cochez toutes les bonnes réponses et rien d’autre.", "不太对：请选出所有正确答案，且不要多选。"]),
    ("quiz_score", "", true, ["Score: {right} of {total}", "نمبر: {total} میں سے {right}", "النتيجة: {right} من {total}", "Puntuación: {right} de {total}", "Score : {right} sur {total}", "得分：{right} / {total}"]),
    ("search_none_for", "theme.SearchPage.noResultsText", true, ["No results for “{q}”", "“{q}” کے لیے کوئی نتیجہ نہیں", "لا نتائج لـ «{q}»", "Sin resultados para «{q}»", "Aucun résultat pour « {q} »", "没有“{q}”的结果"]),
    ("search_none", "", true, ["No results", "کوئی نتیجہ نہیں", "لا نتائج", "Sin resultados", "Aucun résultat", "没有结果"]),
    ("search_one", "", true, ["1 result, use the arrow keys to choose", "1 نتیجہ، چننے کے لیے تیر والی کلیدیں استعمال کریں", "نتيجة واحدة، استخدم مفاتيح الأسهم للاختيار", "1 resultado, usa las flechas para elegir", "1 résultat, choisissez avec les flèches", "1 个结果，用方向键选择"]),
    ("search_many", "", true, ["{n} results, use the arrow keys to choose", "{n} نتائج، چننے کے لیے تیر والی کلیدیں استعمال کریں", "{n} نتائج، استخدم مفاتيح الأسهم للاختيار", "{n} resultados, usa las flechas para elegir", "{n} résultats, choisissez avec les flèches", "{n} 个结果，用方向键选择"]),
    ("search_index_missing", "", true, ["the index could not be loaded.", "اشاریہ لوڈ نہیں ہو سکا۔", "تعذّر تحميل الفهرس.", "no se pudo cargar el índice.", "l’index n’a pas pu être chargé.", "无法加载索引。"]),
    ("search_unavailable", "", true, ["Search is not available", "تلاش دستیاب نہیں", "البحث غير متاح", "La búsqueda no está disponible", "La recherche n’est pas disponible", "搜索不可用"]),
    ("minutes", "", true, ["{m} min", "{m} منٹ", "{m} د", "{m} min", "{m} min", "{m} 分钟"]),
    ("hours", "", true, ["{h} h", "{h} گھنٹے", "{h} س", "{h} h", "{h} h", "{h} 小时"]),
    ("progress_summary", "", true, ["{done} of {total} lessons done", "{total} میں سے {done} اسباق مکمل", "أُنجز {done} من {total} دروس", "{done} de {total} lecciones hechas", "{done} leçons sur {total} terminées", "已完成 {done}/{total} 课"]),
    ("progress_summary_one", "", true, ["{done} of 1 lesson done", "1 میں سے {done} سبق مکمل", "أُنجز {done} من درس واحد", "{done} de 1 lección hecha", "{done} leçon sur 1 terminée", "已完成 {done}/1 课"]),
    ("progress_comma", "", true, [", ", "، ", "، ", ", ", ", ", "，"]),
    ("progress_left", "", true, ["{time} left", "{time} باقی", "بقي {time}", "quedan {time}", "reste {time}", "还剩 {time}"]),
    ("progress_in_section", "", true, ["{summary} in this section.", "اس حصے میں {summary}۔", "{summary} في هذا القسم.", "{summary} en esta sección.", "{summary} dans cette section.", "本节{summary}。"]),
    ("progress_best_score", "", true, ["Best quiz score: {scores}.", "کوئز کا بہترین نمبر: {scores}۔", "أفضل نتيجة في الاختبار: {scores}.", "Mejor puntuación: {scores}.", "Meilleur score au quiz : {scores}.", "最佳测验得分：{scores}。"]),
    ("progress_lesson_done", "", true, ["Lesson done", "سبق مکمل", "أنهيت الدرس", "Lección terminada", "Leçon terminée", "本课已完成"]),
    ("progress_you_marked", "", true, ["You marked this lesson done.", "آپ نے یہ سبق مکمل قرار دیا۔", "علّمت هذا الدرس منتهيًا.", "Marcaste esta lección como terminada.", "Vous avez marqué cette leçon comme terminée.", "你已将本课标为完成。"]),
    ("progress_mark_it", "", true, ["Mark it when you have finished it.", "ختم کرنے کے بعد اسے نشان زد کریں۔", "علّمه عندما تنهيه.", "Márcala cuando la termines.", "Marquez-la quand vous l’avez finie.", "学完后请标记。"]),
    ("progress_marked_done", "", true, ["Lesson marked done.", "سبق مکمل قرار دیا گیا۔", "عُلّم الدرس منتهيًا.", "Lección marcada como terminada.", "Leçon marquée comme terminée.", "本课已标为完成。"]),
    ("progress_marked_not_done", "", true, ["Lesson marked not done.", "سبق نامکمل قرار دیا گیا۔", "عُلّم الدرس غير منتهٍ.", "Lección marcada como no terminada.", "Leçon marquée comme non terminée.", "本课已标为未完成。"]),
    ("progress_quiz_done", "", true, ["Quiz answered: lesson marked done.", "کوئز حل ہو گیا: سبق مکمل قرار دیا گیا۔", "أُجيب عن الاختبار: عُلّم الدرس منتهيًا.", "Cuestionario respondido: lección terminada.", "Quiz répondu : leçon terminée.", "测验已完成：本课已标为完成。"]),
    ("progress_continue", "", true, ["Continue where you left off", "جہاں چھوڑا تھا وہیں سے جاری رکھیں", "تابع من حيث توقفت", "Continuar donde lo dejaste", "Reprendre là où vous en étiez", "从上次离开处继续"]),
    ("progress_hint", "", true, ["Mark lessons done as you go; your progress stays in this browser.", "اسباق مکمل کرتے جائیں اور نشان لگاتے جائیں؛ آپ کی پیش رفت اسی براؤزر میں رہتی ہے۔", "علّم الدروس كلما أنهيتها؛ يبقى تقدّمك في هذا المتصفح.", "Marca las lecciones al terminarlas; tu progreso se queda en este navegador.", "Marquez les leçons au fil de l’eau ; votre progression reste dans ce navigateur.", "学完一课就标记一课；你的进度只保存在此浏览器中。"]),
    ("progress_yours", "", true, ["Your progress", "آپ کی پیش رفت", "تقدّمك", "Tu progreso", "Votre progression", "你的进度"]),
    ("progress_yours_section", "", true, ["Your progress in this section", "اس حصے میں آپ کی پیش رفت", "تقدّمك في هذا القسم", "Tu progreso en esta sección", "Votre progression dans cette section", "你在本节的进度"]),
    ("progress_manage", "", true, ["Manage progress", "پیش رفت کا انتظام", "إدارة التقدّم", "Gestionar el progreso", "Gérer la progression", "管理进度"]),
    ("progress_privacy", "", true, ["Your progress is kept in this browser only and never sent anywhere. Save it to a file to move it to another browser.", "آپ کی پیش رفت صرف اسی براؤزر میں رہتی ہے اور کہیں نہیں بھیجی جاتی۔ دوسرے براؤزر میں لے جانے کے لیے اسے فائل میں محفوظ کریں۔", "يُحفظ تقدّمك في هذا المتصفح فقط ولا يُرسل إلى أي مكان. احفظه في ملف لتنقله إلى متصفح آخر.", "Tu progreso se guarda solo en este navegador y nunca se envía. Guárdalo en un archivo para llevarlo a otro navegador.", "Votre progression reste dans ce navigateur et n’est envoyée nulle part. Enregistrez-la dans un fichier pour la passer à un autre navigateur.", "你的进度只保存在此浏览器中，不会发送到任何地方。保存为文件即可转到其他浏览器。"]),
    ("progress_export", "", true, ["Export progress", "پیش رفت برآمد کریں", "صدّر التقدّم", "Exportar el progreso", "Exporter la progression", "导出进度"]),
    ("progress_import", "", true, ["Import progress", "پیش رفت درآمد کریں", "استورد التقدّم", "Importar el progreso", "Importer la progression", "导入进度"]),
    ("progress_reset", "", true, ["Reset progress", "پیش رفت صاف کریں", "امسح التقدّم", "Borrar el progreso", "Effacer la progression", "重置进度"]),
    ("progress_reset_question", "", true, ["Reset your progress in this course? Done lessons, quiz scores and where you left off are forgotten in this browser.", "اس کورس میں اپنی پیش رفت صاف کریں؟ مکمل اسباق، کوئز کے نمبر اور آخری مقام اس براؤزر سے مٹ جائیں گے۔", "أتمسح تقدّمك في هذه الدورة؟ ستُنسى في هذا المتصفح الدروس المنتهية ونتائج الاختبارات وموضع توقفك.", "¿Borrar tu progreso en este curso? Se olvidan en este navegador las lecciones terminadas, las puntuaciones y dónde lo dejaste.", "Effacer votre progression dans ce cours ? Leçons terminées, scores et position sont oubliés dans ce navigateur.", "重置本课程的进度？此浏览器将忘记已完成的课程、测验得分和上次的位置。"]),
    ("progress_yes_reset", "", true, ["Yes, reset", "ہاں، صاف کریں", "نعم، امسح", "Sí, borrar", "Oui, effacer", "是，重置"]),
    ("progress_was_reset", "", true, ["Progress reset.", "پیش رفت صاف ہو گئی۔", "مُسح التقدّم.", "Progreso borrado.", "Progression effacée.", "进度已重置。"]),
    ("progress_exported", "", true, ["Progress exported.", "پیش رفت برآمد ہو گئی۔", "صُدّر التقدّم.", "Progreso exportado.", "Progression exportée.", "进度已导出。"]),
    // Issue 13 (i13h): the rest of what progress.js shows: the sidebar's "(done)", the card's
    // sentence and every message of an import. In the right-to-left languages the file's own
    // words (`"format"`, `[best, total]`, the browser's error) sit in bidi isolates
    // (U+2068 … U+2069), so that their quotes and brackets keep their order.
    ("progress_done_mark", "", true, ["(done)", "(مکمل)", "(منجز)", "(hecha)", "(terminée)", "（已完成）"]),
    ("progress_sentence", "", true, ["{summary}.", "{summary}۔", "{summary}.", "{summary}.", "{summary}.", "{summary}。"]),
    ("progress_not_json", "", true, ["Nothing imported: the file is not JSON ({error}).", "کچھ درآمد نہیں ہوا: یہ فائل JSON نہیں (\u{2068}{error}\u{2069})۔", "لم يُستورد شيء: الملف ليس JSON (\u{2068}{error}\u{2069}).", "No se importó nada: el archivo no es JSON ({error}).", "Rien n’a été importé : le fichier n’est pas du JSON ({error}).", "未导入任何内容：该文件不是 JSON（{error}）。"]),
    ("progress_not_ours", "", true, ["Nothing imported: this is not a Syllabus progress file (its \"format\" is not \"{format}\").", "کچھ درآمد نہیں ہوا: یہ Syllabus کی پیش رفت کی فائل نہیں (اس کا \u{2068}\"format\"\u{2069}، \u{2068}\"{format}\"\u{2069} نہیں)۔", "لم يُستورد شيء: هذا ليس ملف تقدّم من Syllabus (قيمة \u{2068}\"format\"\u{2069} فيه ليست \u{2068}\"{format}\"\u{2069}).", "No se importó nada: no es un archivo de progreso de Syllabus (su \"format\" no es \"{format}\").", "Rien n’a été importé : ce n’est pas un fichier de progression Syllabus (son \"format\" n’est pas \"{format}\").", "未导入任何内容：这不是 Syllabus 进度文件（其 \"format\" 不是 \"{format}\"）。"]),
    ("progress_bad_version", "", true, ["Nothing imported: the file's version {version} is not one this site reads (version {supported}).", "کچھ درآمد نہیں ہوا: یہ سائٹ فائل کا ورژن {version} نہیں پڑھتی (ورژن {supported})۔", "لم يُستورد شيء: لا يقرأ هذا الموقع الإصدار {version} من الملف (بل الإصدار {supported}).", "No se importó nada: este sitio no lee la versión {version} del archivo (lee la versión {supported}).", "Rien n’a été importé : ce site ne lit pas la version {version} du fichier (il lit la version {supported}).", "未导入任何内容：本站无法读取该文件的版本 {version}（支持版本 {supported}）。"]),
    ("progress_bad_done", "", true, ["Nothing imported: \"done\" must be a list of lesson addresses.", "کچھ درآمد نہیں ہوا: \u{2068}\"done\"\u{2069} اسباق کے پتوں کی فہرست ہونی چاہیے۔", "لم يُستورد شيء: يجب أن يكون \u{2068}\"done\"\u{2069} قائمة بعناوين الدروس.", "No se importó nada: \"done\" debe ser una lista de direcciones de lecciones.", "Rien n’a été importé : \"done\" doit être une liste d’adresses de leçons.", "未导入任何内容：\"done\" 必须是课程地址的列表。"]),
    ("progress_bad_quiz", "", true, ["Nothing imported: \"quiz\" must map lessons to [best, total] scores.", "کچھ درآمد نہیں ہوا: \u{2068}\"quiz\"\u{2069} میں ہر سبق کے \u{2068}[best, total]\u{2069} نمبر ہونے چاہییں۔", "لم يُستورد شيء: يجب أن يربط \u{2068}\"quiz\"\u{2069} كل درس بنتائج \u{2068}[best, total]\u{2069}.", "No se importó nada: \"quiz\" debe asociar a cada lección sus puntuaciones [best, total].", "Rien n’a été importé : \"quiz\" doit associer à chaque leçon ses scores [best, total].", "未导入任何内容：\"quiz\" 必须为每课给出 [best, total] 得分。"]),
    ("progress_bad_seen", "", true, ["Nothing imported: \"seen\" must map lessons to [scroll, time, title].", "کچھ درآمد نہیں ہوا: \u{2068}\"seen\"\u{2069} میں ہر سبق کا \u{2068}[scroll, time, title]\u{2069} ہونا چاہیے۔", "لم يُستورد شيء: يجب أن يربط \u{2068}\"seen\"\u{2069} كل درس بـ \u{2068}[scroll, time, title]\u{2069}.", "No se importó nada: \"seen\" debe asociar a cada lección su [scroll, time, title].", "Rien n’a été importé : \"seen\" doit associer à chaque leçon son [scroll, time, title].", "未导入任何内容：\"seen\" 必须为每课给出 [scroll, time, title]。"]),
    ("progress_imported", "", true, ["Imported: {n} more lessons done; {summary}.", "درآمد ہو گئی: مزید {n} اسباق مکمل؛ {summary}۔", "تم الاستيراد: {n} دروس أخرى منتهية؛ {summary}.", "Importado: {n} lecciones más hechas; {summary}.", "Importé : {n} leçons de plus terminées ; {summary}.", "已导入：新增 {n} 课已完成；{summary}。"]),
    ("progress_imported_one", "", true, ["Imported: 1 more lesson done; {summary}.", "درآمد ہو گئی: مزید 1 سبق مکمل؛ {summary}۔", "تم الاستيراد: درس آخر منتهٍ؛ {summary}.", "Importado: 1 lección más hecha; {summary}.", "Importé : 1 leçon de plus terminée ; {summary}.", "已导入：新增 1 课已完成；{summary}。"]),
    ("progress_left_out_one", "", true, ["1 lesson is not in this course and was left out.", "1 سبق اس کورس میں نہیں، اسے چھوڑ دیا گیا۔", "درس واحد ليس في هذه الدورة فتُرك.", "1 lección no está en este curso y se omitió.", "1 leçon n’est pas dans ce cours et a été ignorée.", "有 1 课不在本课程中，已略过。"]),
    ("progress_left_out", "", true, ["{n} lessons are not in this course and were left out.", "{n} اسباق اس کورس میں نہیں، انہیں چھوڑ دیا گیا۔", "{n} دروس ليست في هذه الدورة فتُركت.", "{n} lecciones no están en este curso y se omitieron.", "{n} leçons ne sont pas dans ce cours et ont été ignorées.", "有 {n} 课不在本课程中，已略过。"]),
    // Issue 13 (i13g): the strings of the root redirect and of the markup the Markdown
    // passes write (quizzes, code blocks, admonitions, tables, task lists, diagrams).
    ("redirecting", "", false, ["Redirecting…", "منتقل کیا جا رہا ہے…", "جارٍ التحويل…", "Redirigiendo…", "Redirection…", "正在跳转…"]),
    ("continue_course", "", false, ["Continue to the course", "کورس پر جائیں", "تابع إلى الدورة", "Ir al curso", "Aller au cours", "前往课程"]),
    ("quiz", "", false, ["Quiz", "کوئز", "اختبار", "Cuestionario", "Quiz", "测验"]),
    ("quiz_no_questions", "", false, ["This quiz has no questions.", "اس کوئز میں کوئی سوال نہیں۔", "لا أسئلة في هذا الاختبار.", "Este cuestionario no tiene preguntas.", "Ce quiz n’a pas de questions.", "此测验没有题目。"]),
    ("quiz_cannot_answer", "", false, ["This question cannot be answered: {problem}.", "اس سوال کا جواب نہیں دیا جا سکتا: {problem}۔", "لا يمكن الإجابة عن هذا السؤال: {problem}.", "Esta pregunta no se puede responder: {problem}.", "Impossible de répondre à cette question : {problem}.", "此题无法作答：{problem}。"]),
    // Issue 13 (i13h): why a question cannot be answered, as the reader reads it.
    ("quiz_problem_not_a_question", "", false, ["it is not written as a question with options", "یہ اختیارات والے سوال کی صورت میں نہیں لکھا گیا", "لم يُكتب على شكل سؤال له خيارات", "no está escrita como una pregunta con opciones", "elle n’est pas écrite comme une question à options", "它没有写成带选项的题目"]),
    ("quiz_problem_no_text", "", false, ["it has no question text", "اس میں سوال کا متن نہیں", "ليس له نص سؤال", "no tiene enunciado", "elle n’a pas d’énoncé", "它没有题干"]),
    ("quiz_problem_option_not_text", "", false, ["option {n} is not text", "اختیار {n} متن نہیں", "الخيار {n} ليس نصًا", "la opción {n} no es texto", "l’option {n} n’est pas du texte", "选项 {n} 不是文本"]),
    ("quiz_problem_options_not_a_list", "", false, ["its options are not a list", "اس کے اختیارات فہرست نہیں", "خياراته ليست قائمة", "sus opciones no son una lista", "ses options ne sont pas une liste", "它的选项不是列表"]),
    ("quiz_problem_no_options", "", false, ["it has no options", "اس میں کوئی اختیار نہیں", "ليس له خيارات", "no tiene opciones", "elle n’a pas d’options", "它没有选项"]),
    ("quiz_problem_one_option", "", false, ["it has only one option", "اس میں صرف ایک اختیار ہے", "له خيار واحد فقط", "solo tiene una opción", "elle n’a qu’une option", "它只有一个选项"]),
    ("quiz_problem_no_answer", "", false, ["it does not say which option is right", "اس میں یہ نہیں بتایا گیا کہ کون سا اختیار درست ہے", "لا يذكر أي خيار هو الصحيح", "no indica qué opción es la correcta", "elle n’indique pas quelle option est juste", "它没有指明哪个选项正确"]),
    ("quiz_problem_answer_not_an_option", "", false, ["the answer it gives is not one of its options", "اس کا دیا گیا جواب اس کے اختیارات میں سے نہیں", "الإجابة التي يحددها ليست من خياراته", "la respuesta que indica no es una de sus opciones", "la réponse qu’elle indique ne fait pas partie de ses options", "它给出的答案不在选项之中"]),
    ("quiz_select_all", "", false, ["Select all that apply.", "تمام درست جواب چنیں۔", "اختر كل ما ينطبق.", "Marca todas las que correspondan.", "Cochez toutes les bonnes réponses.", "选择所有正确答案。"]),
    ("quiz_show_answer", "", false, ["Show answer", "جواب دکھائیں", "اعرض الإجابة", "Mostrar la respuesta", "Afficher la réponse", "显示答案"]),
    ("quiz_answer", "", false, ["Answer:", "جواب:", "الإجابة:", "Respuesta:", "Réponse :", "答案："]),
    ("quiz_answers_label", "", false, ["Answers:", "جوابات:", "الإجابات:", "Respuestas:", "Réponses :", "答案："]),
    ("quiz_source", "", false, ["Source:", "ماخذ:", "المصدر:", "Fuente:", "Source :", "来源："]),
    ("table_n", "", false, ["Table {n}", "جدول {n}", "جدول {n}", "Tabla {n}", "Tableau {n}", "表格 {n}"]),
    ("task_done", "", false, ["Done", "مکمل", "منجز", "Hecho", "Fait", "已完成"]),
    ("task_todo", "", false, ["To do", "باقی", "للإنجاز", "Pendiente", "À faire", "待办"]),
    ("admonition_note", "theme.admonition.note", false, ["Note", "نوٹ", "ملاحظة", "Nota", "Remarque", "备注"]),
    ("admonition_tip", "theme.admonition.tip", false, ["Tip", "مشورہ", "نصيحة", "Consejo", "Astuce", "提示"]),
    ("admonition_info", "theme.admonition.info", false, ["Info", "معلومات", "معلومات", "Información", "Info", "信息"]),
    ("admonition_warning", "theme.admonition.warning", false, ["Warning", "انتباہ", "تحذير", "Advertencia", "Attention", "警告"]),
    ("admonition_danger", "theme.admonition.danger", false, ["Danger", "خطرہ", "خطر", "Peligro", "Danger", "危险"]),
    ("admonition_caution", "theme.admonition.caution", false, ["Caution", "احتیاط", "تنبيه", "Precaución", "Prudence", "注意"]),
    ("admonition_important", "", false, ["Important", "اہم", "مهم", "Importante", "Important", "重要"]),
    ("admonition_success", "", false, ["Success", "کامیابی", "نجاح", "Éxito", "Succès", "成功"]),
    ("diagram_n", "", false, ["Diagram {n}", "خاکہ {n}", "مخطط {n}", "Diagrama {n}", "Diagramme {n}", "图 {n}"]),
    ("diagram_show_source", "", false, ["Show source", "ماخذ دکھائیں", "اعرض المصدر", "Mostrar el código", "Afficher la source", "显示源码"]),
    ("diagram", "", false, ["Diagram", "خاکہ", "مخطط", "Diagrama", "Diagramme", "图示"]),
    ("diagram_flowchart", "", false, ["Flowchart", "فلو چارٹ", "مخطط انسيابي", "Diagrama de flujo", "Logigramme", "流程图"]),
    ("diagram_sequence", "", false, ["Sequence diagram", "ترتیبی خاکہ", "مخطط تسلسلي", "Diagrama de secuencia", "Diagramme de séquence", "时序图"]),
    ("diagram_class", "", false, ["Class diagram", "کلاس کا خاکہ", "مخطط الأصناف", "Diagrama de clases", "Diagramme de classes", "类图"]),
    ("diagram_state", "", false, ["State diagram", "حالتوں کا خاکہ", "مخطط الحالات", "Diagrama de estados", "Diagramme d’états", "状态图"]),
    ("diagram_er", "", false, ["Entity relationship diagram", "ہستی اور تعلق کا خاکہ", "مخطط الكيانات والعلاقات", "Diagrama entidad-relación", "Diagramme entité-association", "实体关系图"]),
    ("diagram_gantt", "", false, ["Gantt chart", "گینٹ چارٹ", "مخطط جانت", "Diagrama de Gantt", "Diagramme de Gantt", "甘特图"]),
    ("diagram_pie", "", false, ["Pie chart", "پائی چارٹ", "مخطط دائري", "Gráfico circular", "Diagramme circulaire", "饼图"]),
    ("diagram_mindmap", "", false, ["Mind map", "ذہنی نقشہ", "خريطة ذهنية", "Mapa mental", "Carte mentale", "思维导图"]),
    ("diagram_timeline", "", false, ["Timeline", "ٹائم لائن", "خط زمني", "Cronología", "Chronologie", "时间线"]),
    ("diagram_journey", "", false, ["User journey", "صارف کا سفر", "رحلة المستخدم", "Recorrido del usuario", "Parcours utilisateur", "用户旅程"]),
    ("diagram_quadrant", "", false, ["Quadrant chart", "چوکور چارٹ", "مخطط رباعي", "Gráfico de cuadrantes", "Graphique à quadrants", "象限图"]),
    ("diagram_gitgraph", "", false, ["Git graph", "گٹ گراف", "مخطط Git", "Gráfico de Git", "Graphe Git", "Git 图"]),
    ("diagram_chart", "", false, ["Chart", "چارٹ", "مخطط بياني", "Gráfico", "Graphique", "图表"]),
];

/// A locale's theme strings, by key (the shipped language's, else English, with the book's
/// `code.json` on top).
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Strings(std::sync::Arc<BTreeMap<&'static str, String>>);

impl Serialize for Strings {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}

impl Strings {
    /// The strings for `locale` (`ur`, `zh-Hans`, `pt-BR` …: its language, else English),
    /// overridden by a `code.json` text; a `code.json` that is not JSON is a warning.
    pub(crate) fn new(
        locale: &str,
        code_json: Option<(&str, &str)>,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Strings {
        let column = LANGUAGES
            .iter()
            .position(|l| *l == language(locale))
            .unwrap_or(0);
        let overrides = code_json.map_or_else(BTreeMap::new, |(path, text)| {
            read_code_json(path, text, diagnostics)
        });
        let mut map = BTreeMap::new();
        for (key, code, _, texts) in CATALOGUE {
            let own = format!("syllabus.{key}");
            let text = overrides
                .get(&own)
                .or_else(|| (!code.is_empty()).then(|| overrides.get(*code)).flatten())
                .cloned()
                .unwrap_or_else(|| texts[column].to_string());
            map.insert(*key, text);
        }
        Strings(std::sync::Arc::new(map))
    }

    /// One string (a missing key is its own name: a template's typo shows).
    pub(crate) fn get<'a>(&'a self, key: &'a str) -> &'a str {
        self.0.get(key).map_or(key, String::as_str)
    }

    /// The scripts' strings as JSON for a `<script type="application/json">`, or `None`
    /// when they are the English ones the scripts carry (a book in English stays as it was).
    pub(crate) fn script_json(&self) -> Option<String> {
        let english = Strings::new("en", None, &mut Vec::new());
        let js: BTreeMap<&str, &str> = CATALOGUE
            .iter()
            .filter(|(_, _, js, _)| *js)
            .map(|(key, ..)| (*key, self.0[key].as_str()))
            .collect();
        if js.iter().all(|(k, v)| english.0[k] == *v) {
            return None;
        }
        let json = serde_json::to_string(&js).unwrap_or_default();
        // Safe inside <script>: no `</script>` or `<!--` can close or open anything.
        Some(json.replace('<', "\\u003c"))
    }
}

/// Every string with its English text and its text in `locale`'s language (for tests).
#[cfg(test)]
pub(crate) fn english_and(locale: &str) -> Vec<(&'static str, &'static str, &'static str)> {
    let column = LANGUAGES
        .iter()
        .position(|l| *l == language(locale))
        .unwrap_or(0);
    CATALOGUE
        .iter()
        .map(|(key, _, _, texts)| (*key, texts[0], texts[column]))
        .collect()
}

impl crate::markdown::Words for Strings {
    fn word<'a>(&'a self, key: &'a str) -> &'a str {
        self.get(key)
    }
}

/// `code.json`'s messages by key (`{"key": {"message": "…", "description": "…"}}`).
fn read_code_json(
    path: &str,
    text: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> BTreeMap<String, String> {
    messages(text).unwrap_or_else(|e| {
        diagnostics.push(
            Diagnostic::warning(path, e.line(), e.column(), format!("not valid JSON: {e}"))
                .with_help("Docusaurus' `write-translations` writes this file; its theme strings are left as shipped"),
        );
        BTreeMap::new()
    })
}

/// The messages of a Docusaurus translation file (`code.json`, `current.json`).
pub(crate) fn messages(text: &str) -> Result<BTreeMap<String, String>, serde_json::Error> {
    #[derive(serde::Deserialize)]
    struct Message {
        message: String,
    }
    let map: BTreeMap<String, serde_json::Value> = serde_json::from_str(text)?;
    Ok(map
        .into_iter()
        .filter_map(|(k, v)| Some((k, serde_json::from_value::<Message>(v).ok()?.message)))
        .collect())
}

/// The translated sidebar labels of a `current.json`: a category's label (in the default
/// locale) to its translation, from keys `sidebar.<sidebar>.category.<label>`.
pub(crate) fn category_labels(messages: &BTreeMap<String, String>) -> BTreeMap<String, String> {
    sidebar_labels(messages, ".category.")
}

/// The translated sidebar labels of docs in a `current.json`: a doc's label to its
/// translation, from keys `sidebar.<sidebar>.doc.<label>`.
pub(crate) fn doc_labels(messages: &BTreeMap<String, String>) -> BTreeMap<String, String> {
    sidebar_labels(messages, ".doc.")
}

fn sidebar_labels(messages: &BTreeMap<String, String>, kind: &str) -> BTreeMap<String, String> {
    messages
        .iter()
        .filter_map(|(k, v)| {
            let rest = k.strip_prefix("sidebar.")?;
            let (_, label) = rest.split_once(kind)?;
            Some((label.to_string(), v.clone()))
        })
        .collect()
}

/// The language subtag of a locale (`zh-Hans` → `zh`).
fn language(locale: &str) -> &str {
    locale.split(['-', '_']).next().unwrap_or(locale)
}

/// A locale's direction: `[site.locale-config.<l>] direction`, else right to left for the
/// languages written in Arabic or Hebrew script (and a few more), else left to right.
pub(crate) fn direction(config: &Config, locale: &str) -> Direction {
    if let Some(d) = config
        .site
        .locale_config
        .get(locale)
        .and_then(|c| c.direction)
    {
        return d;
    }
    const RTL: [&str; 13] = [
        "ar", "arc", "ckb", "dv", "fa", "he", "iw", "ks", "ps", "sd", "ug", "ur", "yi",
    ];
    if RTL.contains(&language(locale)) {
        Direction::Rtl
    } else {
        Direction::Ltr
    }
}

/// A locale's name in its own language, for the switcher: `[site.locale-config] label`,
/// else a known language's name, else the code.
pub(crate) fn label(config: &Config, locale: &str) -> String {
    if let Some(l) = config
        .site
        .locale_config
        .get(locale)
        .and_then(|c| c.label.clone())
    {
        return l;
    }
    let name = match language(locale) {
        "en" => "English",
        "ur" => "اردو",
        "ar" => "العربية",
        "es" => "Español",
        "fr" => "Français",
        "zh" => "中文",
        "ja" => "日本語",
        "fa" => "فارسی",
        "he" => "עברית",
        "de" => "Deutsch",
        "pt" => "Português",
        "hi" => "हिन्दी",
        "bn" => "বাংলা",
        "ru" => "Русский",
        "it" => "Italiano",
        "ko" => "한국어",
        "tr" => "Türkçe",
        _ => locale,
    };
    name.to_string()
}

/// How a language groups the digits of a count (CLDR's conventions with Latin digits): the
/// separator, the size of the groups before the last three (2 for the Indian lakh and
/// crore), and the fewest digits a number has before it is grouped at all (5 in Spanish,
/// which writes `1300` but `12.300`).
fn digit_grouping(locale: &str) -> (&'static str, usize, usize) {
    match language(locale).to_ascii_lowercase().as_str() {
        // A narrow no-break space.
        "fr" => ("\u{202f}", 3, 4),
        // A no-break space.
        "ru" => ("\u{a0}", 3, 4),
        "de" | "it" | "pt" | "tr" => (".", 3, 4),
        "es" => (".", 3, 5),
        "hi" | "bn" => (",", 2, 4),
        // English, and the other languages the theme knows (ur, ar, fa, he, zh, ja, ko), as
        // they write Latin digits; a language it does not know is written as English.
        _ => (",", 3, 4),
    }
}

/// A count as the page's language writes it: `1300` is `1,300` in English, `1 300` (with a
/// narrow no-break space) in French, `1.300` in German; the pagers' labels use it (the
/// `group_digits` filter of the templates).
pub(crate) fn group_digits(n: u64, locale: &str) -> String {
    let digits = n.to_string();
    let (separator, size, min) = digit_grouping(locale);
    if digits.len() < min {
        return digits;
    }
    // The last three digits, and groups of `size` before them, from the right.
    let mut ends = Vec::new();
    let mut end = digits.len().saturating_sub(3);
    while end > 0 {
        ends.push(end);
        end = end.saturating_sub(size);
    }
    let mut out = String::with_capacity(digits.len() + ends.len() * separator.len());
    let mut start = 0;
    for &end in ends.iter().rev() {
        out.push_str(&digits[start..end]);
        out.push_str(separator);
        start = end;
    }
    out.push_str(&digits[start..]);
    out
}

/// The templates' `group_digits` filter: `{{ n | group_digits(lang=site.language) }}` is
/// [`group_digits`] of a count (a number that is not a count is an error naming it).
pub(super) fn register(tera: &mut tera::Tera) {
    tera.register_filter(
        "group_digits",
        |value: &tera::Value, args: &std::collections::HashMap<String, tera::Value>| {
            let n = value.as_u64().ok_or_else(|| {
                tera::Error::msg(format!("group_digits: `{value}` is not a count"))
            })?;
            let lang = args
                .get("lang")
                .and_then(tera::Value::as_str)
                .unwrap_or("en");
            Ok(tera::Value::String(group_digits(n, lang)))
        },
    );
}

/// One language of the switcher and of `hreflang`: where the current page is in it.
#[derive(Debug, Clone, Serialize, PartialEq, Hash)]
pub(crate) struct Alternate {
    pub lang: String,
    pub label: String,
    /// The same page in that language.
    pub href: String,
    /// The absolute URL, for `hreflang` (with a base URL that has a host).
    pub absolute: Option<String>,
    pub current: bool,
}

/// A sitemap whose entries list every language of their page (`xhtml:link` alternates,
/// plus `x-default`, the default locale's): one row per language of each page; split into
/// an index and parts past `max_urls` rows (`sitemap.rs`). `base` is the site root's
/// absolute URL.
pub(crate) fn sitemap(
    pages: &[Vec<(String, String)>],
    base: &str,
    max_urls: usize,
) -> Vec<(String, String)> {
    use crate::html::escape;
    const OPEN: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n";
    let mut entries = Vec::new();
    for langs in pages {
        for (_, url) in langs {
            let mut xml = String::from("  <url><loc>");
            xml.push_str(&escape(url));
            xml.push_str("</loc>");
            for (lang, alt) in langs {
                xml.push_str(&format!(
                    "<xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>",
                    escape(lang),
                    escape(alt)
                ));
            }
            if let Some((_, first)) = langs.first() {
                xml.push_str(&format!(
                    "<xhtml:link rel=\"alternate\" hreflang=\"x-default\" href=\"{}\"/>",
                    escape(first)
                ));
            }
            xml.push_str("</url>\n");
            entries.push(xml);
        }
    }
    super::sitemap::files(OPEN, &entries, base, max_urls)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_has_every_string_and_placeholders_match() {
        for (key, _, _, texts) in CATALOGUE {
            for (i, t) in texts.iter().enumerate() {
                assert!(!t.is_empty(), "{key} {}", LANGUAGES[i]);
                for p in [
                    "{n}",
                    "{total}",
                    "{right}",
                    "{q}",
                    "{time}",
                    "{m}",
                    "{h}",
                    "{done}",
                    "{summary}",
                    "{scores}",
                    "{problem}",
                    "{error}",
                    "{format}",
                    "{version}",
                    "{supported}",
                ] {
                    assert_eq!(
                        texts[0].contains(p),
                        t.contains(p),
                        "{key} {} {p}",
                        LANGUAGES[i]
                    );
                }
            }
        }
        let keys: std::collections::BTreeSet<_> = CATALOGUE.iter().map(|e| e.0).collect();
        assert_eq!(keys.len(), CATALOGUE.len(), "a key is listed twice");
    }

    #[test]
    fn every_string_a_script_shows_is_in_the_catalogue_with_its_english() {
        // Issue 13: a script's `tr("key", "English")` falls back to the English it carries;
        // the catalogue must list the key for scripts, with that same English, or a
        // translated page shows the English.
        let mut calls = 0;
        for script in ["syllabus.js", "components.js", "search.js", "progress.js"] {
            let path = format!("{}/static/assets/{script}", env!("CARGO_MANIFEST_DIR"));
            let text = std::fs::read_to_string(&path).unwrap();
            for (at, _) in text.match_indices("tr(\"") {
                let rest = &text[at + 4..];
                let key = &rest[..rest.find('"').unwrap()];
                let Some(english) = rest[key.len() + 1..].strip_prefix(", \"") else {
                    continue;
                };
                if key == "key" {
                    continue; // the comment that shows the form
                }
                let end = english
                    .char_indices()
                    .find(|&(i, c)| c == '"' && !english[..i].ends_with('\\'))
                    .map_or(0, |(i, _)| i);
                let english = english[..end].replace("\\\"", "\"");
                let entry = CATALOGUE.iter().find(|e| e.0 == key);
                let Some((_, _, for_scripts, texts)) = entry else {
                    panic!("{script}: `{key}` is not in the catalogue");
                };
                assert!(for_scripts, "{script}: `{key}` is not marked for scripts");
                assert_eq!(texts[0], english, "{script}: `{key}`");
                calls += 1;
            }
        }
        assert!(calls > 50, "{calls}");
    }

    #[test]
    fn every_reason_a_question_cannot_be_answered_is_translated() {
        // Issue 13: the reader's note names the problem in the page's language.
        let (en, ur) = (
            Strings::new("en", None, &mut Vec::new()),
            Strings::new("ur", None, &mut Vec::new()),
        );
        for problem in crate::markdown::quiz::Problem::EVERY {
            let key = problem.key();
            assert!(CATALOGUE.iter().any(|e| e.0 == key), "{key}");
            let (en, ur) = (problem.text(&en), problem.text(&ur));
            assert!(!en.contains('{') && !ur.contains('{'), "{en} / {ur}");
            assert_ne!(en, ur, "{key}");
        }
        assert_eq!(
            crate::markdown::quiz::Problem::OptionNotText(2).text(&ur),
            "اختیار 2 متن نہیں"
        );
    }

    #[test]
    fn a_locale_takes_its_language_and_code_json_overrides() {
        let mut d = Vec::new();
        assert_eq!(Strings::new("ur-PK", None, &mut d).get("next"), "اگلا");
        assert_eq!(Strings::new("pt-BR", None, &mut d).get("next"), "Next");
        let code = r#"{"theme.docs.paginator.next": {"message": "آگے", "description": "x"},
                       "syllabus.copy": {"message": "نقل"}}"#;
        let s = Strings::new("ur", Some(("i18n/ur/code.json", code)), &mut d);
        assert_eq!((s.get("next"), s.get("copy")), ("آگے", "نقل"));
        assert!(d.is_empty());
        Strings::new("ur", Some(("i18n/ur/code.json", "{")), &mut d);
        assert!(
            d[0].to_string().starts_with("i18n/ur/code.json:1:"),
            "{}",
            d[0]
        );
    }

    #[test]
    fn english_scripts_need_no_strings_and_others_are_safe_json() {
        assert_eq!(
            Strings::new("en", None, &mut Vec::new()).script_json(),
            None
        );
        let code = r#"{"syllabus.copy": {"message": "</script>"}}"#;
        let json = Strings::new("en", Some(("c.json", code)), &mut Vec::new())
            .script_json()
            .unwrap();
        assert!(json.contains("\\u003c/script>") && !json.contains("</"));
    }

    #[test]
    fn directions_and_category_labels() {
        let mut c = Config::default();
        assert_eq!(direction(&c, "ur"), Direction::Rtl);
        assert_eq!(direction(&c, "fa-IR"), Direction::Rtl);
        assert_eq!(direction(&c, "fr"), Direction::Ltr);
        c.site.locale_config.insert(
            "ur".into(),
            crate::config::LocaleConfig {
                label: Some("Urdu".into()),
                direction: Some(Direction::Ltr),
            },
        );
        assert_eq!(
            (direction(&c, "ur"), label(&c, "ur")),
            (Direction::Ltr, "Urdu".into())
        );
        let m = messages(r#"{"sidebar.tutorialSidebar.category.Getting Started": {"message": "آغاز"}, "version.label": {"message": "x"}}"#).unwrap();
        assert_eq!(
            category_labels(&m)
                .get("Getting Started")
                .map(String::as_str),
            Some("آغاز")
        );
    }

    #[test]
    fn counts_are_grouped_as_the_pages_language_writes_them() {
        let cases = [
            (1300, "en", "1,300"),
            (999, "en", "999"),
            (0, "en", "0"),
            (1000, "en", "1,000"),
            (1_234_567, "en", "1,234,567"),
            (1300, "en-GB", "1,300"),
            (1300, "zh-Hans", "1,300"),
            (1300, "ar", "1,300"),
            (1300, "fr", "1\u{202f}300"),
            (1_234_567, "fr-CA", "1\u{202f}234\u{202f}567"),
            (1300, "ru", "1\u{a0}300"),
            (1300, "de", "1.300"),
            (1_234_567, "de-AT", "1.234.567"),
            (1300, "pt-BR", "1.300"),
            (1300, "it", "1.300"),
            (1300, "tr", "1.300"),
            // Spanish groups from five digits.
            (1300, "es", "1300"),
            (12_300, "es", "12.300"),
            (1_234_567, "es_MX", "1.234.567"),
            // The Indian grouping: the last three digits, then pairs.
            (1300, "hi", "1,300"),
            (123_456, "hi", "1,23,456"),
            (12_345_678, "bn", "1,23,45,678"),
            (100_000, "hi-IN", "1,00,000"),
            // A language the theme does not know: as English.
            (1300, "xx", "1,300"),
            (1300, "", "1,300"),
            (1300, "FR", "1\u{202f}300"),
            (u64::MAX, "en", "18,446,744,073,709,551,615"),
        ];
        for (n, locale, expected) in cases {
            assert_eq!(group_digits(n, locale), expected, "{n} in `{locale}`");
        }
    }

    #[test]
    fn the_filter_groups_a_count_in_the_language_it_is_given() {
        let mut tera = tera::Tera::default();
        register(&mut tera);
        tera.add_raw_template(
            "t",
            "{{ n | group_digits(lang=lang) }} {{ n | group_digits }}",
        )
        .unwrap();
        let mut context = tera::Context::new();
        context.insert("n", &1300);
        context.insert("lang", "de");
        assert_eq!(tera.render("t", &context).unwrap(), "1.300 1,300");
        context.insert("n", "1300");
        let error = tera.render("t", &context).unwrap_err();
        let chain = std::iter::successors(Some(&error as &dyn std::error::Error), |e| e.source())
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(": ");
        assert!(chain.contains("is not a count"), "{chain}");
    }
}
