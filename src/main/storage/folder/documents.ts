import { join } from 'node:path'
import { DocStore } from '../../dataFolder/docStore'
import type { DocumentSource } from '../documents'

/** Documents as files in `dir` (`name` is the file's name there). */
export function fileDocuments(dir: string): DocumentSource {
  return { open: (name, defaults) => DocStore.open(join(dir, name), defaults) }
}
