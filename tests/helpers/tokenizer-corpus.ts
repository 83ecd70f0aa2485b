// A tokenizer corpus: many scripts, code, numbers, whitespace runs, special-token text and odd bytes.
const base = [
  // English
  'Hello world', 'The quick brown fox jumps over the lazy dog.', "It's a truth universally acknowledged, isn't it?",
  'Payment is due within thirty (30) days of the invoice date.', 'This Agreement shall be governed by the laws of Delaware.',
  'e-mail: john.doe@example.com, URL: https://example.org/a?b=c&d=e#f', 'ALL CAPS HEADING', 'camelCaseIdentifier and snake_case_name',
  // German, French, Spanish, Italian, Portuguese, Polish, Turkish, Vietnamese
  'Die Vertragsparteien vereinbaren Folgendes: Straße, Größe, Übermaß.', 'Ça coûte très cher, n’est-ce pas ? Où est l’hôtel ?',
  '¿Dónde está la biblioteca? ¡Olé!', 'La città è bellissima perché è antica.', 'Não há nada como o coração.',
  'Zażółć gęślą jaźń.', 'İstanbul’da ılık bir gün.', 'Tiếng Việt có dấu rất đẹp.',
  // Russian, Ukrainian, Greek
  'Привет, мир! Договор вступает в силу с момента подписания.', 'Ґанок і їжак — українські слова.', 'Καλημέρα κόσμε, η σύμβαση λήγει.',
  // Arabic, Hebrew, Persian
  'مرحبا بالعالم، هذا عقد بين الطرفين.', 'שלום עולם, זהו חוזה בין הצדדים.', 'سلام دنیا، قرارداد امضا شد.',
  // Hindi, Bengali, Tamil, Thai
  'नमस्ते दुनिया, यह अनुबंध है।', 'হ্যালো বিশ্ব', 'வணக்கம் உலகம்', 'สวัสดีชาวโลก สัญญานี้มีผลบังคับใช้',
  // Chinese, Japanese, Korean
  '你好，世界！本合同自签署之日起生效。', '繁體中文的測試句子。', 'こんにちは世界、契約は署名日に発効します。', 'カタカナとひらがなと漢字', '안녕하세요 세계, 계약서에 서명했습니다.',
  // Emoji sequences
  '😀😃😄', '👩‍👩‍👧‍👦 family', '🏳️‍🌈 flag', '👍🏽 thumbs', '🇩🇪🇫🇷🇯🇵', '❤️🔥', 'a😀b😀c',
  // Code
  'function add(a, b) {\n  return a + b;\n}', 'def f(x):\n\treturn x ** 2  # square', '#include <stdio.h>\nint main(void) { printf("%d\\n", 42); }',
  'SELECT * FROM users WHERE id = 1;', '<div class="a"><span>text</span></div>', '{"key": [1, 2.5, true, null]}', 'x => x?.y ?? z',
  'for (let i = 0; i < n; i++) { sum += a[i]; }', '    indented with four spaces', 'fn main() -> Result<(), Box<dyn Error>> {}',
  // Numbers
  '1234567890', '3.14159265358979323846', '$1,234,567.89', '2026-12-01T15:49:02Z', '1e-10 and 6.022e23', '000123', '99999999999999999999',
  // Whitespace runs
  '  two spaces', 'trailing   ', '\ttab\t\ttabs', 'line\nbreak', 'many\n\n\n\nnewlines', ' \n \t mixed \r\n ', '                                  long run', '\n', ' ', '',
  // Special-token text
  '<start_of_turn>user\nHi<end_of_turn>\n<start_of_turn>model\n', '<bos>text<eos>', '<start_of_image><end_of_image>', '<pad><unk><mask>',
  '<table><tr><td>cell</td></tr></table>', '</s> end', '[multimodal]', '<unused0> and <unused99>', '<0x41> literal byte token text',
  // Odd characters
  '\u2581already escaped', 'zero\u200bwidth', 'BOM\ufeffinside', '\ufeffleading BOM', 'combining e\u0301 and n\u0303',
  'control\u0001\u0002chars', 'replacement \ufffd char', 'math ∑∫√∞ ≠ ≤ ≥', 'ℌ𝔢𝔩𝔩𝔬 𝕎𝕠𝕣𝕝𝕕', 'ﬁ ligature', 'Ａ full-width',
];

/** At least 300 strings: the base set, then deterministic variations (pairs, casing, padding, repetition). */
export function tokenizerCorpus(): string[] {
  const out = new Set<string>(base);
  const variations = [
    (a: string, b: string) => `${a} ${b}`,
    (a: string) => a.toUpperCase(),
    (a: string) => `  ${a}\n`,
    (a: string, b: string) => `${a}${b}`,
    (a: string) => a.repeat(3),
  ];
  for (const vary of variations) {
    base.forEach((a, i) => out.add(vary(a, base[(i * 7 + 3) % base.length]!)));
  }
  return [...out];
}
