import t from 'tap'
import { clean, fold, likeEscape } from '../../server/domain/text.js'

t.test('fold removes Vietnamese accents and maps đ to d', async (t) => {
  t.equal(fold('Điều động'), 'dieu dong')
  t.equal(fold('NGUYỄN VĂN ĐỨC'), 'nguyen van duc')
  t.equal(fold('Trần  Thị   Hằng '), 'tran thi hang', 'spaces collapsed')
  // Decomposed input (NFD, as some systems send) folds the same as composed input.
  t.equal(fold('Đức'.normalize('NFD')), fold('Đức'))
})

t.test('clean stores NFC and trims', async (t) => {
  const nfd = 'Hồng Gai'.normalize('NFD')
  t.not(nfd, 'Hồng Gai')
  t.equal(clean('  ' + nfd + ' '), 'Hồng Gai')
})

t.test('likeEscape neutralises LIKE wildcards', async (t) => {
  t.equal(likeEscape('50%_a\\b'), '50\\%\\_a\\\\b')
})
