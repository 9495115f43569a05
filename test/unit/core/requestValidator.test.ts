import { describe, expect, it } from 'vitest'
import { explainErrors } from '../../../src/main/core/requestValidator'

describe('explainErrors', () => {
  it('folds union branches into one phrase per field', () => {
    expect(
      explainErrors(
        [
          {
            keyword: 'maxLength',
            instancePath: '/department',
            params: { limit: 200 },
            message: 'must not have more than 200 characters',
          },
          {
            keyword: 'type',
            instancePath: '/department',
            params: { type: 'null' },
            message: 'must be null',
          },
          {
            keyword: 'anyOf',
            instancePath: '/department',
            params: {},
            message: 'must match a schema in anyOf',
          },
          {
            keyword: 'required',
            instancePath: '',
            params: { requiredProperties: ['name'] },
            message: 'must have required properties name',
          },
        ] as never,
        'request for agents:add',
      ).error,
    ).toBe(
      'Invalid request for agents:add: department must be at most 200 characters; name is required',
    )
  })
})
