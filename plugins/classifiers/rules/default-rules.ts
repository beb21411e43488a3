/**
 * The built-in rule set (English, French, German, Spanish, Italian, Portuguese, Dutch, Polish).
 * A category is what the user wants PRODUCED: "summarize this article about image recognition"
 * is text, "write a script that makes a PDF" is code. The strongest signals are therefore a
 * request verb followed, within a few words, by the thing to produce ("generate … an image").
 */
import type { RuleSpec } from './schema.js';

const B = '(?<![\\p{L}\\p{N}_])'; // word start (JS \b is ASCII-only)
const E = '(?![\\p{L}\\p{N}_])'; // word end
const alt = (words: readonly string[]): string => `(?:${words.join('|')})`;

/** Request verbs (imperative / "I want"), so "a script that creates a PDF" is not a request for a PDF. */
const MAKE = alt([
  'create', 'generate', 'make', 'produce', 'render', 'design', 'build', 'draw', 'paint', 'prepare', 'export',
  'turn', 'convert', 'put', 'save', 'give me', 'i want', 'i need', "i'd like", 'i would like', 'can you make',
  'crée', 'créez', 'créer', 'génère', 'générez', 'générer', 'fais', 'faites', 'faire', 'prépare', 'dessine', 'produis',
  'erstelle', 'erstellen', 'erstell', 'erzeuge', 'erzeugen', 'generiere', 'generieren', 'mach', 'mache', 'machen', 'zeichne', 'bereite',
  'crea', 'crear', 'créame', 'genera', 'generar', 'haz', 'hazme', 'hacer', 'dibuja', 'prepara', 'dame',
  'creare', 'generare', 'fai', 'fammi', 'fare', 'disegna', 'preparami',
  'crie', 'criar', 'cria', 'gere', 'gerar', 'gera', 'faça', 'fazer', 'desenhe', 'quero',
  'maak', 'maken', 'genereer', 'creëer', 'teken', 'ontwerp',
  'stwórz', 'utwórz', 'wygeneruj', 'zrób', 'narysuj', 'przygotuj', 'zaprojektuj',
]);
/** Request verbs for code. */
const WRITE = alt([
  'write', 'implement', 'code', 'create', 'generate', 'make', 'build', 'give me', 'i need', 'i want',
  'écris', 'écrivez', 'écrire', 'crée', 'génère', 'code', 'schreibe', 'schreib', 'erstelle', 'implementiere', 'programmiere',
  'escribe', 'escríbeme', 'crea', 'genera', 'implementa', 'scrivi', 'scrivimi', 'escreva', 'crie', 'schrijf', 'maak',
  'napisz', 'stwórz', 'zaimplementuj',
]);
/** Up to 6 words between verb and noun, but not across "about …", "for …", "with …", "that …". */
const GAP =
  `(?:[\\s'’]+(?!${alt(['about', 'on', 'regarding', 'for', 'with', 'that', 'which', 'sur', 'pour', 'avec', 'qui', 'über', 'für', 'mit', 'zum', 'zur', 'sobre', 'para', 'con', 'com', 'que', 'su', 'sul', 'sulla', 'per', 'che', 'over', 'voor', 'met', 'dat', 'dla', 'z'])}${E})\\S+){0,6}?[\\s'’]+`;
/** A noun may be the tail of a compound token: "Python-Skript", "Excel-Tabelle", ".docx". */
const NOUN_PREFIX = '(?:[\\p{L}\\p{N}.+#]+-|\\.)?';
const request = (verbs: string, nouns: readonly string[]): string =>
  `${B}${verbs}(?:-\\p{L}+)?${GAP}${NOUN_PREFIX}${alt(nouns)}${E}`;

const IMAGE_NOUNS = [
  'images?', 'pictures?', 'photos?', 'pics?', 'illustrations?', 'drawings?', 'paintings?', 'artworks?', 'wallpapers?',
  'portraits?', 'icons?', 'icon set', 'stickers?', 'avatars?', 'profile picture', 'memes?', 'posters?', 'banners?',
  'logos?', 'sketch(?:es)?', 'watercolou?r', 'photographs?',
  'dessins?', 'peintures?', 'affiches?', 'bild', 'bilder', 'zeichnung', 'gemälde', 'foto', 'plakat',
  'imagen(?:es)?', 'dibujos?', 'ilustración', 'pintura', 'immagine', 'immagini', 'disegno', 'illustrazione', 'dipinto',
  'imagem', 'desenho', 'ilustração', 'afbeelding', 'tekening', 'illustratie', 'plaatje', 'schilderij',
  'obraz(?:ek)?', 'rysunek', 'ilustracj[aęi]', 'grafik[aęi]', 'zdjęci[ea]',
];
const VIDEO_NOUNS = [
  'videos?', 'clips?', 'animations?', 'animated', 'films?', 'movies?', 'trailers?', 'commercials?', 'gifs?',
  'time-?lapses?', 'footage', 'reels?', 'music video', 'intro', 'cutscene', 'stop-motion',
  'vidéo', 'vidéos', 'animation', 'dessin animé', 'zeichentrick\\p{L}*', 'vídeos?', 'animación', 'película',
  'animazione', 'filmato', 'cortometraggio', 'animação', 'filme', 'animatie', 'filmpje',
  'wideo', 'animacj[aęi]', 'klip', 'filmik',
];
const DOCUMENT_NOUNS = [
  'pdf', 'pdfs', 'powerpoint', 'power point', 'pptx?', 'presentations?', 'slide ?decks?', 'decks?', 'slides',
  'keynote', 'google slides', 'excel', 'xlsx', 'spreadsheets?', 'workbook', 'google sheets', 'csv file',
  'word (?:document|file|doc)', 'docx', 'document', 'flyer',
  'présentation', 'diaporama', 'diapositives', 'tableur', 'feuille de calcul', 'fichier',
  'präsentation', 'folien', 'foliensatz', 'tabelle', 'tabellenkalkulation', 'dokument',
  'presentación', 'diapositivas', 'hoja de cálculo', 'documento',
  'presentazione', 'slide', 'diapositive', 'foglio', 'apresentação', 'planilha',
  'presentatie', 'rekenblad', 'prezentacj[aęi]', 'slajdy', 'arkusz', 'plik',
];
const CODE_NOUNS = [
  'function', 'functions', 'method', 'class', 'script', 'program', 'code', 'snippet', 'algorithm', 'api',
  'endpoint', 'component', 'query', 'regex', 'regexp', 'regular expression', 'unit tests?', 'dockerfile',
  'cli', 'module', 'library', 'app', 'application', 'website', 'web ?page', 'backend', 'parser', 'bot',
  'fonction', 'classe', 'programme', 'requête', 'funktion', 'skript', 'programm', 'klasse', 'abfrage',
  'función', 'clase', 'programa', 'consulta', 'funzione', 'programma', 'codice', 'função', 'código',
  'functie', 'klasse', 'funkcj[aęi]', 'skrypt', 'program', 'kod', 'zapytanie',
];
const LANGUAGES = [
  'python\\p{L}{0,3}', 'javascript', 'typescript', 'java', 'c\\+\\+', 'c#', 'golang', 'rust', 'ruby', 'php',
  'kotlin', 'swift', 'scala', 'haskell', 'bash', 'powershell', 'sql', 'html', 'css', 'node\\.?js', 'react',
  'vue', 'angular', 'django', 'flask', 'spring boot', 'js', 'ts', 'jsx', 'tsx', 'perl', 'lua', 'dart', 'elixir',
];

export const DEFAULT_RULES: readonly RuleSpec[] = [
  // ------------------------------------------------------------------ code
  { category: 'code', subcategory: 'general', weight: 3, patterns: ['```', '^\\s*(?:#include|import \\w|from \\w+ import|package \\w|using system)'] },
  { category: 'code', subcategory: 'general', weight: 2, patterns: [`${B}${alt(LANGUAGES)}${E}`] },
  {
    category: 'code', subcategory: 'general', weight: 2,
    patterns: [
      // lines of code: definitions, statements, indentation-heavy blocks
      '\\b(?:def|function|func|fn|class|public|private|static|const|let|var|return|async|await)\\s+[\\w$]+\\s*[(=:{<]',
      '[\\w$\\])]\\s*(?:=>|===|!==|\\+=|->|::)',
      '\\b\\w+\\([^()\\n]{0,80}\\)\\s*(?:[{;]|$)',
      '(?:^|\\n)(?: {4}|\\t)\\S[^\\n]*\\n(?: {4}|\\t)\\S[^\\n]*\\n(?: {4}|\\t)\\S',
      '`[^`\\n]{1,60}`',
    ],
  },
  {
    category: 'code', subcategory: 'general', weight: 1,
    keywords: ['regex', 'regexp', 'regular expression', 'numpy', 'pandas', 'openpyxl', 'reportlab', 'express', 'docker', 'kubernetes', 'terraform', 'git', 'npm', 'json', 'yaml', 'flexbox', 'div', 'canvas', 'async/await', 'linked list', 'binary search', 'compiler', 'variable', 'array', 'loop'],
    patterns: [],
  },
  { category: 'code', subcategory: 'generation', weight: 3, patterns: [request(WRITE, CODE_NOUNS)] },
  { category: 'code', subcategory: 'generation', weight: 2, keywords: ['implement', 'implémente', 'implementiere', 'implementa', 'implementeer', 'zaimplementuj', 'regex to', 'regex for', 'regex that', 'complete this', 'complete the code', 'finish this code', 'fill in the'], patterns: [] },
  {
    category: 'code', subcategory: 'debugging', weight: 3,
    patterns: [
      'traceback \\(most recent call last\\)',
      '(?:error|exception)(?::|\\s+in\\s)',
      '\\n\\s+at [\\w$.<>]+ ?\\(',
      'exception in thread',
      'error\\[e\\d{3,4}\\]',
      '\\bsegmentation fault|\\bsegfault|\\bcore dumped|\\bpanic:',
      '\\be(?:addrinuse|connrefused|connreset|acces|noent|perm|timedout|notfound|exist):',
      '\\b(?:null ?pointer|undefined is not|cannot read propert|is not a function|stack ?trace|does(?:n\'t| not) compile|won\'t compile|compil\\p{L}+ error|syntax error)',
    ],
  },
  {
    category: 'code', subcategory: 'debugging', weight: 1,
    keywords: ['error', 'bug', 'crash', 'crashes', 'exception', 'debug', 'throws', "what's wrong", 'not working', 'fehler', 'erreur', 'błąd', 'compila', 'kompiliert', 'compile'],
    patterns: [],
  },
  {
    category: 'code', subcategory: 'debugging', weight: 2,
    patterns: [`${B}${alt(['explain', 'why', 'what', "what's", 'fix', 'solve', 'help', 'resolve', 'explique', 'pourquoi', 'erkläre', 'warum', 'behebe', 'explica', 'por qué', 'spiega', 'perché', 'explique', 'por que', 'waarom', 'leg uit', 'wyjaśnij', 'dlaczego', 'napraw'])}${E}[^\\n]{0,60}?${B}${alt(['error', 'errors', 'exception', 'traceback', 'stack trace', 'warning', 'crash', 'erreur', 'fehler', 'fehlermeldung', 'errore', 'erro', 'fout', 'foutmelding', 'błąd', 'błędu'])}${E}`],
  },
  { category: 'code', subcategory: 'explanation', weight: 2, patterns: [`${B}${alt(['explain', 'what does', 'what is', "what's", 'how does', 'how do i', 'difference between', 'explique', 'expliquer', 'erkläre', 'erklär', 'explica', 'spiega', 'leg uit', 'wyjaśnij'])}${E}[^\\n]{0,100}?${B}${alt([...LANGUAGES, 'code', 'this (?:function|regex|snippet|line|keyword)', 'keyword', 'regex', 'flexbox', 'div'])}${E}`] },
  {
    category: 'code', subcategory: 'refactoring', weight: 3,
    keywords: ['refactor', 'refactoring', 'refaktoriere', 'refactoriza', 'refatore', 'refactoriseer', 'zrefaktoryzuj', 'clean up this code', 'more readable', 'async/await'],
    patterns: [`${B}${alt(['rewrite', 'convert', 'port', 'migrate', 'translate', 'réécris', 'schreibe', 'reescribe', 'riscrivi', 'reescreva', 'herschrijf', 'przepisz'])}${GAP}${alt(['code', 'function', 'class', 'script', 'callback\\S*', 'python\\s*\\d', ...CODE_NOUNS])}${E}`],
  },
  { category: 'code', subcategory: 'review', weight: 3, keywords: ['code review', 'review this code', 'review my code', 'review my pr', 'pull request', 'security issues', 'vulnerabilities', 'vulnerability', 'sql injection'], patterns: [`${B}review${GAP}${alt(['code', 'diff', 'pr', 'dockerfile', 'function', 'class', 'commit'])}${E}`] },
  { category: 'code', subcategory: 'sql', weight: 3, keywords: ['sql', 'mysql', 'postgres', 'postgresql', 'sqlite'], patterns: ['\\bselect\\s+[\\w*,\\s]{1,80}?\\s+from\\s+\\w', `${B}quer(?:y|ies)${E}[^\\n]{0,60}?${B}(?:table|join|joins|group by|database|column)s?${E}`] },
  { category: 'code', subcategory: 'testing', weight: 3, keywords: ['unit test', 'unit tests', 'pytest', 'junit', 'mocha', 'vitest', 'test cases', 'tests unitaires', 'unittests', 'pruebas unitarias', 'test unitari', 'testy jednostkowe'], patterns: [`${B}(?:with|using|in|en|mit|con|com|met)\\s+jest${E}`, `${B}jest\\s+(?:tests?|mocks?|spec)${E}`] },

  // ------------------------------------------------------------------ document
  { category: 'document', subcategory: 'general', weight: 3, patterns: [request(MAKE, DOCUMENT_NOUNS)] },
  {
    category: 'document', subcategory: 'general', weight: 3,
    patterns: [`${B}${alt(['as an?', 'in', 'into an?', 'en', 'als', 'como', 'come', 'in formato', 'jako', 'als een'])}\\s+\\.?${alt(['pdf', 'powerpoint', 'pptx', 'excel', 'xlsx', 'docx', 'word', 'csv', 'spreadsheet', 'slides'])}${E}(?:\\s+(?:file|document|format|doc|fichier|datei|archivo|file|bestand|plik))?`],
  },
  { category: 'document', subcategory: 'presentation', weight: 2, keywords: ['powerpoint', 'power point', 'pptx', 'ppt', 'slide deck', 'pitch deck', 'google slides', 'keynote', 'slides', 'présentation powerpoint', 'diaporama', 'folien', 'foliensatz', 'diapositivas', 'diapositive', 'apresentação de slides', 'slajdy', 'slajdów'], patterns: [`${B}\\d+\\s+${alt(['slides', 'folien', 'diapositivas', 'slajdów', 'dia\'s'])}${E}`] },
  { category: 'document', subcategory: 'spreadsheet', weight: 2, keywords: ['excel', 'xlsx', 'spreadsheet', 'google sheets', 'workbook', 'csv file', 'tableur', 'feuille de calcul', 'tabellenkalkulation', 'excel-tabelle', 'hoja de cálculo', 'foglio di calcolo', 'foglio excel', 'planilha', 'rekenblad', 'arkusz kalkulacyjny', 'arkusz'], patterns: [] },
  { category: 'document', subcategory: 'pdf', weight: 2, keywords: ['pdf', 'printable'], patterns: [] },
  { category: 'document', subcategory: 'word', weight: 2, keywords: ['docx', 'word document', 'word doc', 'word file', 'word-dokument', 'document word', 'documento de word', 'documento word', 'word-document', 'dokument word'], patterns: [] },

  // ------------------------------------------------------------------ video
  { category: 'video', subcategory: 'generation', weight: 3, patterns: [request(MAKE, VIDEO_NOUNS)] },
  { category: 'video', subcategory: 'general', weight: 1, keywords: ['video', 'vidéo', 'vídeo', 'wideo', 'clip', 'footage', 'tiktok', 'youtube short', 'reel'], patterns: [] },
  {
    category: 'video', subcategory: 'animation', weight: 4,
    keywords: ['animate', 'animated', 'animer', 'animez', 'animiere', 'animieren', 'animar', 'anima', 'animare', 'animeer', 'animuj', 'zanimuj', 'stop-motion', 'stop motion', 'bring to life'],
    patterns: [
      `${B}bring${GAP}to life${E}`,
      `${B}(?:make|let)\\s+(?:this|the|it|my)(?:\\s+(?:image|photo|picture|pic|logo))?\\s+(?:move|dance|walk|spin|talk)`,
      `${B}${alt(['animation', 'animations', 'animación', 'animazione', 'animação', 'animatie', 'animacj[aęi]'])}${E}`,
    ],
  },
  {
    category: 'video', subcategory: 'generation', weight: 2,
    patterns: [
      `${B}\\d+(?:[.,]\\d+)?\\s*-?\\s*${alt(['seconds?', 'secs?', 'secondes?', 'sekunden', 'segundos?', 'secondi', 'seconden', 'sekund\\p{L}*', 'minute video'])}${E}`,
      `${B}${alt(['slow motion', 'slow-motion', 'drone shot', 'tracking shot', 'camera pans?', 'dolly', 'fps', 'frame rate', 'text-to-video', 'time-?lapse', 'cinematic shot', 'b-roll', 'voiceover', 'subtitles'])}${E}`,
      `${B}\\d{2,3}\\s?fps${E}`,
    ],
  },
  { category: 'video', subcategory: 'editing', weight: 3, patterns: [`${B}${alt(['add subtitles', 'add captions', 'cut', 'trim', 'edit', 'stabili[sz]e'])}${E}[^\\n]{0,60}?${B}${alt(['this', 'the', 'my'])}\\s+(?:video|clip|footage)`] },

  // ------------------------------------------------------------------ image
  { category: 'image', subcategory: 'generation', weight: 3, patterns: [request(MAKE, IMAGE_NOUNS)] },
  {
    category: 'image', subcategory: 'generation', weight: 3,
    keywords: ['draw', 'paint', 'sketch', 'illustrate', 'dessine', 'dessiner', 'dessinez', 'zeichne', 'zeichnen', 'male mir', 'dibuja', 'dibujar', 'pinta', 'disegna', 'disegnare', 'dipingi', 'desenhe', 'desenha', 'desenhar', 'pinte', 'teken', 'schilder', 'narysuj', 'namaluj'],
    patterns: [],
  },
  {
    category: 'image', subcategory: 'generation', weight: 2,
    keywords: ['photorealistic', 'oil painting', 'watercolor', 'watercolour', 'aquarelle', 'digital art', 'concept art', 'pixel art', 'trending on artstation', 'artstation', 'octane render', 'unreal engine', 'highly detailed', 'depth of field', 'bokeh', '85mm', '35mm', '8k', 'anime style', 'studio ghibli', 'dramatic lighting', 'portrait of', 'an image of', 'a picture of', 'a photo of', 'midjourney', 'dall-e', 'stable diffusion', 'ölgemälde', 'acuarela', 'acquerello', 'aquarela'],
    patterns: [],
  },
  { category: 'image', subcategory: 'design', weight: 3, keywords: ['logo', 'logos', 'icon set', 'icons', 'sticker', 'poster', 'banner', 'mockup', 'favicon'], patterns: [] },
  {
    category: 'image', subcategory: 'editing', weight: 3,
    keywords: ['remove the background', 'background removal', 'upscale', 'retouch', 'inpaint', 'outpaint', 'colorize'],
    patterns: [
      `${B}${alt(['remove', 'erase', 'replace', 'change', 'edit', 'retouch', 'enhance', 'crop', 'blur', 'sharpen', 'recolou?r', 'brighten', 'darken', 'restore', 'fix'])}${E}[^.?!\\n]{0,50}?${B}(?:this|the|my)\\s+(?:photo|image|picture|pic|selfie|background)${E}`,
      `${B}(?:make|turn)\\s+(?:the|this|my)\\s+\\S+(?:\\s+\\S+)?\\s+(?:in|of)\\s+(?:this|the|my)\\s+(?:photo|image|picture)${E}`,
    ],
  },

  // ------------------------------------------------------------------ text
  {
    category: 'text', subcategory: 'summarization', weight: 3,
    keywords: ['summarize', 'summarise', 'summary', 'summarizing', 'tl;dr', 'tldr', 'condense', 'key takeaways', 'recap', 'gist', 'main points', 'résume', 'résumer', 'résumez', 'résumé de', 'zusammenfassen', 'zusammenfassung', 'fasse', 'resumen', 'resumir', 'resúmeme', 'riassumi', 'riassunto', 'riassumere', 'resuma', 'sintetize', 'samenvatten', 'samenvatting', 'vat samen', 'streść', 'streszczenie', 'podsumuj', 'podsumowanie'],
    patterns: [`${B}resume\\s+${alt(['este', 'esta', 'el', 'la', 'o', 'a', 'este'])}${E}`, `${B}in\\s+(?:\\d|one|two|three|five)\\s+(?:bullet points|sentences|lines|words)${E}`],
  },
  {
    category: 'text', subcategory: 'translation', weight: 3,
    keywords: ['translate', 'translation', 'how do you say', 'how to say', 'traduis', 'traduire', 'traduction', 'traduisez', 'übersetze', 'übersetzen', 'übersetzung', 'traduce', 'traducir', 'tradúceme', 'traducción', 'traduci', 'tradurre', 'traduzione', 'traduza', 'traduzir', 'tradução', 'vertaal', 'vertalen', 'vertaling', 'przetłumacz', 'tłumaczenie'],
    patterns: [],
  },
  {
    category: 'text', subcategory: 'creative', weight: 3,
    keywords: ['poem', 'poems', 'poetry', 'haiku', 'sonnet', 'limerick', 'story', 'short story', 'fairy tale', 'lyrics', 'song', 'rap verse', 'fiction', 'screenplay', 'joke', 'jokes', 'poème', 'poésie', 'histoire', 'conte', 'chanson', 'gedicht', 'geschichte', 'märchen', 'liedtext', 'poema', 'cuento', 'historia', 'canción', 'poesia', 'racconto', 'storia', 'favola', 'canzone', 'história', 'conto', 'gedicht', 'verhaal', 'sprookje', 'wiersz', 'opowiadanie', 'bajka', 'bajkę', 'piosenka', 'piosenkę'],
    patterns: [],
  },
  {
    category: 'text', subcategory: 'math', weight: 2,
    keywords: ['solve', 'equation', 'integrate', 'derivative', 'integral', 'prove that', 'probability', 'square root', 'calculate', 'résous', 'calcule', 'löse', 'berechne', 'gleichung', 'resuelve', 'calcula', 'ecuación', 'risolvi', 'calcola', 'equazione', 'resolva', 'equação', 'bereken', 'los op', 'vergelijking', 'oblicz', 'rozwiąż', 'równanie'],
    patterns: ['\\d\\s*[-+*/×÷^]\\s*\\d', '\\b[a-z]\\s*\\^\\s*\\d', '\\d+(?:[.,]\\d+)?\\s*%\\s*(?:of|de|von|di|van|z)\\b'],
  },
  {
    category: 'text', subcategory: 'analysis', weight: 2,
    keywords: ['analyze', 'analyse', 'analysis', 'compare', 'comparison', 'pros and cons', 'strengths and weaknesses', 'advantages and disadvantages', 'evaluate', 'assess', 'swot', 'analysiere', 'vergleiche', 'vor- und nachteile', 'analiza', 'compara', 'ventajas y desventajas', 'analizza', 'confronta', 'pro e contro', 'vantaggi e svantaggi', 'analise', 'prós e contras', 'vantagens e desvantagens', 'analyseer', 'vergelijk', 'voor- en nadelen', 'przeanalizuj', 'porównaj', 'zalety i wady', 'analyser', 'avantages et inconvénients'],
    patterns: [],
  },
  {
    category: 'text', subcategory: 'rewriting', weight: 2,
    keywords: ['rewrite', 'rephrase', 'paraphrase', 'proofread', 'fix the grammar', 'correct the grammar', 'make it sound', 'more formal', 'more concise', 'reformule', 'reformuler', 'corrige', 'umformulieren', 'formuliere', 'korrigiere', 'reescribe', 'reformula', 'riscrivi', 'riformula', 'correggi', 'reescreva', 'corrija', 'herschrijf', 'herformuleer', 'przeredaguj', 'popraw', 'sformułuj'],
    patterns: [],
  },
  {
    category: 'text', subcategory: 'qa', weight: 1,
    patterns: [
      `^\\s*${alt(['what', 'who', 'when', 'where', 'why', 'how', 'which', 'is', 'are', 'does', 'do', 'can', 'could', 'should', 'explain', 'describe', 'tell me', "qu'est-ce", 'quel', 'quelle', 'pourquoi', 'comment', 'quand', 'où', 'wie', 'was', 'warum', 'wer', 'wo', 'welche', 'wann', 'erkläre', 'qué', 'cuál', 'cómo', 'por qué', 'quién', 'dónde', 'cuándo', 'explica', 'cosa', 'qual', 'come', 'perché', 'chi', 'dove', 'quando', 'o que', 'como', 'por que', 'quem', 'wat', 'hoe', 'waarom', 'waar', 'wanneer', 'welke', 'co', 'jak', 'dlaczego', 'kto', 'gdzie', 'kiedy', 'ile', 'czy'])}${E}`,
    ],
  },
  { category: 'text', subcategory: 'qa', weight: 1, patterns: ['\\?\\s*$'] },
];
